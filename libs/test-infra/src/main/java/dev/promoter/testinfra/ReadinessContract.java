package dev.promoter.testinfra;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/**
 * What every service promises about readiness: against the real broker and database it reports
 * UP, and its readiness really checks both. Each service's test class extends this.
 */
public abstract class ReadinessContract {

    static final String KAFKA_CHECK = "Kafka connection health check";
    static final String DATABASE_CHECK = "Reactive PostgreSQL connections health check";

    @Test
    void readinessIsUpAndChecksKafkaAndTheDatabase() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems(KAFKA_CHECK, DATABASE_CHECK));
    }

    @Test
    void servesMetricsAndOpenApi() {
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
