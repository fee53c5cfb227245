package io.dataline.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

/**
 * What every Dataline service answers, checked the same way in each (subclass it in a {@code @QuarkusTest}): readiness
 * with its database check, liveness, OpenAPI with the service's title, Prometheus metrics.
 */
public abstract class OperationalEndpointsContract {

    private final String openApiTitle;

    protected OperationalEndpointsContract(String openApiTitle) {
        this.openApiTitle = openApiTitle;
    }

    @Test
    void shouldReportReadyWithItsDatabaseCheck() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("Database connections health check"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void shouldServeOpenApiWithTheServiceTitle() {
        given().when().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("info.title", equalTo(openApiTitle));
    }

    @Test
    void shouldServePrometheusMetrics() {
        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("process_uptime_seconds"));
    }
}
