package io.dataline.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.dataline.deploy.serving.ServedModels;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.Topics;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Moves by hand and history: a manual promotion shows the gates and is refused unless forced (then audited as forced
 * by its caller); rollback returns to the previous version with {@code model.promoted} {@code rollback: true}, and a
 * second rollback goes further back through the history, never to the version just left; "what was in staging at T"
 * comes from the audit; after a restart the service serves what the database says is staged.
 */
@QuarkusTest
class ManualStagesTest {

    @Inject
    TopicClient topics;

    @Inject
    ServedModels served;

    @Inject
    io.dataline.deploy.serving.ServingRestorer restorer;

    @Test
    void shouldPromoteByHandOnlyWhenForcedPastFailedGatesAndRollBack() {
        Promotions.Dataset dataset = Promotions.staged(topics, "Manual", PromotionGatesTest.POLICY, Promotions.metrics(0.85, 0.84, 0.4));
        Instant whileV1 = Instant.now();
        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 2, Promotions.metrics(0.7, 0.7, 0.5), 1, Promotions.metrics(0.85, 0.84, 0.4)));
        Promotions.rejected(topics, dataset, 1);

        given().contentType(ContentType.JSON).body(Map.of("version", 2)).post("/models/{m}/stages/staging", dataset.slug()).then().statusCode(409)
                .contentType("application/problem+json").body("gates[0].metric", equalTo("accuracy")).body("gates[0].passed", equalTo(false));
        given().contentType(ContentType.JSON).body(Map.of("version", 2, "force", true)).post("/models/{m}/stages/staging", dataset.slug()).then()
                .statusCode(200).body("version", equalTo(2)).body("previousVersion", equalTo(1)).body("forced", equalTo(true)).body("cause", equalTo("admin"));
        ModelPromotedEvent forced = Promotions.promoted(topics, dataset, 2);
        assertThat(forced.modelVersion()).isEqualTo(2);
        assertThat(forced.causationId()).isNull();
        Instant whileV2 = Instant.now();

        given().post("/models/{m}/stages/staging/rollback", dataset.slug()).then().statusCode(200).body("version", equalTo(1))
                .body("previousVersion", equalTo(2)).body("rollback", equalTo(true));
        ModelPromotedEvent rollback = Promotions.promoted(topics, dataset, 3);
        assertThat(rollback.rollback()).isTrue();
        assertThat(rollback.modelVersion()).isEqualTo(1);
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(1));
        given().get("/models/{m}/stages?at={t}", dataset.slug(), whileV1.toString()).then().body("staging.version", equalTo(1));
        given().get("/models/{m}/stages?at={t}", dataset.slug(), whileV2.toString()).then().body("staging.version", equalTo(2));
        given().get("/models/{m}/stages?at={t}", dataset.slug(), "2020-01-01T00:00:00Z").then().body("staging", nullValue());
        given().get("/models/{m}/promotions", dataset.slug()).then().body("rollback", equalTo(java.util.List.of(true, false, false)));

        // a second rollback walks the history back: v1 was the first in staging, so there is nowhere to go (it used to
        // return to v2, the version just left)
        given().post("/models/{m}/stages/staging/rollback", dataset.slug()).then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("nothing to roll back to"));
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(1));
    }

    @Test
    void shouldRefuseWhatCannotBeDoneByHand() {
        Promotions.Dataset dataset = Promotions.dataset("Refusals", null);
        given().post("/models/{m}/stages/staging/rollback", dataset.slug()).then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("version", 9)).post("/models/{m}/stages/staging", dataset.slug()).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of()).post("/models/{m}/stages/staging", dataset.slug()).then().statusCode(400);
        given().get("/models/{m}/stages?at=yesterday", dataset.slug()).then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("records", java.util.List.of(Map.of("feedback", "x"))))
                .post("/models/{m}/staging/predict", dataset.slug()).then().statusCode(404);
        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 1, Promotions.metrics(0.85, 0.84, 0.4), null, null));
        Promotions.promoted(topics, dataset, 1);
        given().post("/models/{m}/stages/staging/rollback", dataset.slug()).then().statusCode(409)
                .body("detail", equalTo(dataset.slug() + " v1 is the first version in staging; there is nothing to roll back to"));
        given().contentType(ContentType.JSON).body(Map.of("records", java.util.List.of("not a record")))
                .post("/models/{m}/staging/predict", dataset.slug()).then().statusCode(400);
    }

    @Test
    void shouldServeWhatTheDatabaseSaysIsStagedAfterARestart() {
        Promotions.Dataset dataset = Promotions.staged(topics, "Restarted", null, Promotions.metrics(0.85, 0.84, 0.4));

        served.clear(); // what a fresh process starts with
        given().contentType(ContentType.JSON).body(Map.of("records", java.util.List.of(Map.of("feedback", "great")))).post("/models/{m}/staging/predict",
                dataset.slug()).then().statusCode(503);
        assertThat(restorer.follow()).isPositive();
        assertThat(restorer.follow()).isZero(); // served as staged: nothing to load

        given().contentType(ContentType.JSON).body(Map.of("records", java.util.List.of(Map.of("feedback", "great love excellent"))))
                .post("/models/{m}/staging/predict", dataset.slug()).then().statusCode(200).body("version", equalTo(1))
                .body("predictions[0].label", equalTo("positive"));
    }
}
