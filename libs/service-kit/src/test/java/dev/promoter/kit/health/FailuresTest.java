package dev.promoter.kit.health;

import dev.promoter.kit.problem.Problem;
import dev.promoter.kit.problem.ProblemMappers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void aRegistryThatCannotBeReachedIsATransientRegistryOutage() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RegistryClient client = RegistryClient.forRegistry("127.0.0.1:" + closedPort, RegistryCredentials.anonymous());
        Throwable refused = catchThrowable(() -> client.head("shop/cart", "dev"));

        assertThat(Failures.classify(new CompletionException(refused)))
                .isEqualTo(new Failures.Classified(Failures.Kind.TRANSIENT, Optional.of(Failures.REGISTRY)));
    }

    @Test
    void theDatabaseDownRestartingOrInAConflictIsTransientAConstraintIsNot() {
        for (String state : new String[] {"08006", "57P01", "57P03", "53300", "40001", "40P01"}) {
            assertThat(Failures.classify(new PgException("down", "FATAL", state, "detail")))
                    .as(state).isEqualTo(new Failures.Classified(Failures.Kind.TRANSIENT, Optional.of(Failures.DATABASE)));
        }
        assertThat(Failures.classify(new RuntimeException(ClosedConnectionException.INSTANCE)).dependency())
                .contains(Failures.DATABASE);
        assertThat(Failures.classify(new PgException("duplicate key", "ERROR", "23505", "detail")).kind())
                .isEqualTo(Failures.Kind.UNKNOWN);
    }

    @Test
    void kafkaRetriableErrorsAreTransient() {
        assertThat(Failures.classify(new org.apache.kafka.common.errors.TimeoutException("no ack")).dependency())
                .contains(Failures.KAFKA);
        assertThat(Failures.classify(new org.apache.kafka.common.errors.NotLeaderOrFollowerException("moving")).kind())
                .isEqualTo(Failures.Kind.TRANSIENT);
    }

    @Test
    void whatTheDomainRejectsIsPermanentAndABugIsUnknown() {
        assertThat(Failures.classify(new IllegalArgumentException("no such stage")).kind()).isEqualTo(Failures.Kind.PERMANENT);
        assertThat(Failures.classify(new NullPointerException()).kind()).isEqualTo(Failures.Kind.UNKNOWN);
    }

    @Test
    void aRefusedConnectionAnsweredToACallerIsA503ProblemWithRetryAfter() {
        Response response = new ProblemMappers().unexpected(new ConnectException("Connection refused"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(((Problem) response.getEntity()).detail()).contains("cannot be reached").doesNotContain("Exception");
    }

    @Test
    void anUnexpectedFailureIsA500ProblemWithoutItsMessage() {
        Response response = new ProblemMappers().unexpected(new IllegalStateException("secret internals"));

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(((Problem) response.getEntity()).detail()).doesNotContain("secret");
    }
}
