package io.dataline.validation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Covers readiness including the Kafka consumer of dataset.committed. */
@QuarkusTest
class KafkaHealthTest {

    @Test
    void shouldIncludeTheDatasetCommittedChannelInReadiness() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body(containsString("SmallRye Reactive Messaging"))
                .body(containsString("dataset-committed"));
    }
}
