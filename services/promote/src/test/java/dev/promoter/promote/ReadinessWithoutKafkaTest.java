package dev.promoter.promote;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.promoter.testinfra.InjectKafka;
import dev.promoter.testinfra.KafkaUnderTest;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Readiness must tell the truth: with the broker gone, the service is not ready. */
@QuarkusTest
@WithTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "kafka", value = "dedicated"))
class ReadinessWithoutKafkaTest {

    @InjectKafka
    KafkaUnderTest kafka;

    @Test
    void readinessGoesDownWhenTheBrokerStops() {
        given().auth().oauth2("viewer-token").when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));

        kafka.stop();

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2("viewer-token").when().get("/q/health/ready")
                        .then().statusCode(503)
                        .body("status", is("DOWN"))
                        .body("checks.findAll { it.status == 'DOWN' }.name", hasItem("Kafka connection health check")));
    }
}
