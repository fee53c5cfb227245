package io.dataline.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * What every Dataline service answers, checked the same way in each (subclass it in a {@code @QuarkusTest}): readiness
 * with its database check, liveness, OpenAPI with the service's title, Prometheus metrics.
 */
public abstract class OperationalEndpointsContract {

    private final String openApiTitle;
    private final String apiKey;

    protected OperationalEndpointsContract(String openApiTitle) {
        this(openApiTitle, null);
    }

    /** For a service that asks for an API key on OpenAPI and metrics (health stays open). */
    protected OperationalEndpointsContract(String openApiTitle, String apiKey) {
        this.openApiTitle = openApiTitle;
        this.apiKey = apiKey;
    }

    private RequestSpecification authorized() {
        return apiKey == null ? given() : given().header("Authorization", "Bearer " + apiKey);
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
        authorized().when().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("info.title", equalTo(openApiTitle));
    }

    @Test
    void shouldServePrometheusMetrics() {
        authorized().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("process_uptime_seconds"));
    }
}
