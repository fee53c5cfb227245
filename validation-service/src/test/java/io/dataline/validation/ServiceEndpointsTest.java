package io.dataline.validation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Covers the operational endpoints: health (with the database and Kafka checks), OpenAPI, Prometheus metrics. */
@QuarkusTest
class ServiceEndpointsTest {

    @Test
    void shouldReportHealthyWithDatabaseAndKafkaChecks() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("Database connections health check"))
                .body(containsString("SmallRye Reactive Messaging"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void shouldServeOpenApiAndPrometheusMetrics() {
        given().when().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("info.title", equalTo("Dataline validation-service"));
        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }
}
