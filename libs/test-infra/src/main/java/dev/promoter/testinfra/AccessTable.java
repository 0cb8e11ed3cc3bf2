package dev.promoter.testinfra;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The role table of one service's API, written out as a user reads it: each endpoint and the status each caller gets.
 * The service's test config has one caller per role whose token is {@code <role>-token} (see docs/security.md); the
 * first column is a request without a token.
 *
 * <pre>
 * //                                                       none viewer reporter releaser approver operator admin
 * endpoint("POST", "/api/v1/builds", json("{}"),            401, 403,   400,     403,     403,     403,     400)
 * </pre>
 *
 * A refused call ({@code 401}, {@code 403}) must answer problem+json and leave the service's state as it found it.
 */
public final class AccessTable {

    /** The callers of the columns, in order. */
    public static final List<String> CALLERS = List.of("none", "viewer", "reporter", "releaser", "approver",
            "operator", "admin");

    private AccessTable() {
    }

    /** One endpoint and the status of each caller, in {@link #CALLERS} order. */
    public record Endpoint(String method, String path, String contentType, String body, int[] statuses) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A request without a body. */
    public static Endpoint endpoint(String method, String path, int... statuses) {
        return endpoint(method, path, null, statuses);
    }

    /** A request with a body; {@code body}: content type and text, e.g. {@link #json(String)}. */
    public static Endpoint endpoint(String method, String path, String[] body, int... statuses) {
        if (statuses.length != CALLERS.size()) {
            throw new IllegalArgumentException(method + " " + path + ": one status per caller " + CALLERS);
        }
        return new Endpoint(method, path, body == null ? null : body[0], body == null ? null : body[1], statuses);
    }

    public static String[] json(String body) {
        return new String[] {"application/json", body};
    }

    public static String[] body(String contentType, String body) {
        return new String[] {contentType, body};
    }

    /** The cases of a parameterized test: endpoint, caller, expected status. */
    public static Stream<Arguments> cases(Endpoint... endpoints) {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            for (int i = 0; i < CALLERS.size(); i++) {
                cases.add(Arguments.of(endpoint, CALLERS.get(i), endpoint.statuses()[i]));
            }
        }
        return cases.stream();
    }

    /**
     * Calls the endpoint as the caller and checks the status; a refusal must be problem+json naming what is missing,
     * and {@code state} (what the endpoint could change, read before and after) must be unchanged.
     */
    public static void check(Endpoint endpoint, String caller, int expected, Supplier<?> state) {
        Object before = state.get();
        RequestSpecification request = given();
        if (!caller.equals("none")) {
            request.auth().oauth2(caller + "-token");
        }
        if (endpoint.body() != null) {
            request.contentType(endpoint.contentType()).body(endpoint.body().getBytes(StandardCharsets.UTF_8));
        }
        Response response = request.request(endpoint.method(), endpoint.path());
        assertThat(response.statusCode()).as("%s as %s: %s", endpoint, caller, response.asString()).isEqualTo(expected);
        if (expected == 401 || expected == 403) {
            assertThat(response.contentType()).as("%s as %s", endpoint, caller).startsWith("application/problem+json");
            assertThat(response.jsonPath().getInt("status")).isEqualTo(expected);
            assertThat(response.jsonPath().getString("detail")).contains("this call needs the role '");
            assertThat(state.get()).as("%s as %s changed nothing", endpoint, caller).isEqualTo(before);
        }
    }
}
