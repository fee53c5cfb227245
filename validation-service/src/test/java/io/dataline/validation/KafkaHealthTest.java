package io.dataline.validation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** Covers readiness including the Kafka consumer of dataset.committed (service-support's channel "pipeline"). */
@QuarkusTest
class KafkaHealthTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void shouldIncludeThePipelineChannelInReadiness() {
        given().baseUri(management.getProtocol() + "://" + management.getHost() + ":" + management.getPort()).port(-1)
                .when().get("/q/health/ready").then()
                .statusCode(200)
                .body(containsString("SmallRye Reactive Messaging"))
                .body(containsString("kafka-consumers-joined"))
                .body(containsString("\"pipeline\""));
    }
}
