package dev.promoter.build.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.is;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.PipelineSource;
import dev.promoter.testinfra.RealInfrastructure;
import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Jenkins shared-library step {@code integrations/jenkins/vars/promoterBuild.groovy}, run as Groovy with the
 * Jenkins steps it calls bound to stand-ins: {@code httpRequest} sends the request it is given, as the HTTP Request
 * plugin would, to the real build service; {@code withCredentials} binds the caller's token into {@code env}.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class JenkinsSharedLibraryTest extends IntakeTest {

    static final Path STEP = Path.of("..", "..", "integrations", "jenkins", "vars", "promoterBuild.groovy");

    // What Jenkins' plugins do, reduced to what the step relies on.
    static final String JENKINS_STEPS = """
            withCredentials = { List bindings, Closure body ->
                bindings.each { assert it.credentialsId == credentialsId; env[it.variable] = credentialSecret }
                try { body() } finally { bindings.each { env.remove(it.variable) } }
            }
            string = { Map binding -> binding }
            echo = { String line -> echoed << line }
            error = { String message -> throw new IllegalStateException(message) }  // Jenkins: hudson.AbortException
            httpRequest = { Map a ->
                requests << a
                def request = java.net.http.HttpRequest.newBuilder(URI.create(a.url))
                        .method(a.httpMode, java.net.http.HttpRequest.BodyPublishers.ofString(a.requestBody))
                if (a.contentType == 'APPLICATION_JSON') request.header('Content-Type', 'application/json')
                if (a.acceptType == 'APPLICATION_JSON') request.header('Accept', 'application/json')
                a.customHeaders.each { request.header(it.name, it.value) }
                def response = java.net.http.HttpClient.newHttpClient()
                        .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                [status: response.statusCode(), content: response.body()]
            }
            """;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    Map<String, Object> env;
    List<Map<String, Object>> requests;
    List<String> echoed;
    Script step;

    @BeforeEach
    void loadStep() throws IOException {
        env = new HashMap<>(Map.of(
                "PROMOTER_BUILD_URL", "http://127.0.0.1:" + port + "/",
                "GIT_COMMIT", "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
                "BUILD_URL", "https://ci.example.com/job/shop/job/cart/42/",
                "CHANGE_AUTHOR", "ada"));
        requests = new ArrayList<>();
        echoed = new ArrayList<>();
        Binding binding = new Binding();
        binding.setVariable("env", env);
        binding.setVariable("requests", requests);
        binding.setVariable("echoed", echoed);
        binding.setVariable("credentialsId", "promoter-build-token");
        binding.setVariable("credentialSecret", "test-token");
        GroovyShell shell = new GroovyShell(binding);
        shell.evaluate(JENKINS_STEPS);
        step = shell.parse(STEP.toFile());
    }

    @Test
    void theStepReportsTheImageAndTheServiceAcceptsIt() {
        define("jenkins-step", "ci/jenkins-step", new PipelineSource(null, null, List.of(), null));
        String digest = pushImage("ci/jenkins-step", "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567");

        Object receipt = step.invokeMethod("call", new Object[] {Map.of("application", "jenkins-step",
                "repository", pipeline.repository("ci/jenkins-step"), "digest", digest,
                "labels", Map.of("team", "checkout"))});

        assertThat(receipt).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("application", "jenkins-step").containsEntry("duplicate", false);
        assertThat(decoded(published("jenkins-step", 1).get(0))).isEqualTo(new ArtifactPublished("jenkins-step",
                pipeline.repository("ci/jenkins-step"), Digest.parse(digest), "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
                "https://ci.example.com/job/shop/job/cart/42/", "ada"));
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/jenkins-step/builds").then()
                .body("artifacts[0].labels.team", is("checkout")).body("artifacts[0].source", is("api"));
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request).containsEntry("httpMode", "POST").containsEntry("contentType", "APPLICATION_JSON");
            assertThat(request.get("customHeaders")).isEqualTo(List.of(
                    Map.of("name", "Authorization", "value", "Bearer test-token", "maskValue", true)));
        });
        assertThat(env).doesNotContainKey("PROMOTER_BUILD_TOKEN");
        assertThat(echoed).singleElement().asString().startsWith("promoterBuild: jenkins-step " + digest + " reported");
    }

    @Test
    void aRefusalFailsTheBuildWithTheServicesExplanationAndChangesNothing() {
        String missing = "sha256:" + "9f".repeat(32);
        assertRefusedWithoutTrace("jenkins-ghost", () -> assertThatThrownBy(() -> step.invokeMethod("call",
                new Object[] {Map.of("application", "jenkins-ghost", "repository",
                        pipeline.repository("ci/jenkins-ghost"), "digest", missing)}))
                .hasMessageStartingWith("promoterBuild: the build service answered 422:")
                .hasMessageContaining("manifest " + missing + " not found"));
    }

    @Test
    void aMissingArgumentFailsBeforeAnythingIsSent() {
        assertThatThrownBy(() -> step.invokeMethod("call", new Object[] {Map.of("application", "x")}))
                .hasMessage("promoterBuild: the argument repository is required");
        assertThat(requests).isEmpty();
    }
}
