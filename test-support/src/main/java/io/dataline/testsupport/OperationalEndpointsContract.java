package io.dataline.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What every Dataline service answers, checked the same way in each (subclass it in a {@code @QuarkusTest}): readiness
 * with its database check and its Kafka consumers joined, liveness and Prometheus metrics on the management interface
 * (a port of their own, never the API's), OpenAPI with the service's title on the API port, and the parked outbox rows
 * (none here) with their gauge.
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

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private RequestSpecification authorized() {
        return apiKey == null ? given() : given().header("Authorization", "Bearer " + apiKey);
    }

    private RequestSpecification onManagement() {
        return given().baseUri(management.getProtocol() + "://" + management.getHost() + ":" + management.getPort()).port(-1);
    }

    @Test
    void shouldReportReadyWithItsDatabaseCheck() {
        onManagement().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("Database connections health check"));
        onManagement().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        // every Kafka consumer has joined its group (how fast is the restart soak's business: ./dataline bench restarts)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> onManagement().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'kafka-consumers-joined' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'kafka-consumers-joined' }.data.values()", everyItem(startsWith("generation "))));
        given().when().get("/q/health/ready").then().statusCode(org.hamcrest.Matchers.not(200));
    }

    @Test
    void shouldShowParkedOutboxRowsToOpsAndCountThemInMetrics() {
        authorized().when().get("/outbox/parked").then().statusCode(200).body("size()", equalTo(0));
        authorized().when().post("/outbox/parked/{id}/replay", 987654321).then().statusCode(404).contentType("application/problem+json");
        (apiKey == null ? onManagement() : onManagement().header("Authorization", "Bearer " + apiKey)).when().get("/q/metrics").then()
                .statusCode(200).body(containsString("dataline_outbox_parked"));
    }

    @Test
    void shouldServeOpenApiWithTheServiceTitle() {
        authorized().when().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("info.title", equalTo(openApiTitle));
    }

    @Test
    void shouldServePrometheusMetrics() {
        (apiKey == null ? onManagement() : onManagement().header("Authorization", "Bearer " + apiKey)).when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("process_uptime_seconds"));
        authorized().when().get("/q/metrics").then().statusCode(org.hamcrest.Matchers.not(200));
    }
}
