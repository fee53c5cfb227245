package io.dataline.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.dataline.events.GateResult;
import io.dataline.events.ModelCandidateEvaluatedEvent;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each gate outcome through the real broker and database: the first version passes its absolute gates and is
 * promoted (alias, audit row with its gates and cause, {@code model.promoted}, served for predictions); a version that
 * fails gates is rejected naming each failed gate with its value and threshold, staging unchanged; relative gates and
 * {@code requireImprovement} use the baseline evaluated with the candidate; the default policy guards accuracy.
 */
@QuarkusTest
class PromotionGatesTest {

    static final Map<String, Object> POLICY = Map.of(
            "gates", List.of(Map.of("metric", "accuracy", "min", 0.8), Map.of("metric", "macroF1", "maxRegression", 0.01),
                    Map.of("metric", "accuracy", "maxRelativeRegression", 0.02), Map.of("metric", "logLoss", "max", 0.6)),
            "requireImprovement", Map.of("metric", "macroF1", "margin", 0.0));

    @Inject
    TopicClient topics;

    @Inject
    PromotionIntentRepository intents;

    @Test
    void shouldPromoteAFirstVersionThatPassesAndServeIt() {
        Promotions.Dataset dataset = Promotions.dataset("Gated", POLICY);
        ModelRegisteredEvent v1 = Promotions.register(dataset, 1, Promotions.metrics(0.9, 0.88, 0.3), null, null);

        topics.publish(Topics.MODEL_REGISTERED, v1);

        ModelPromotedEvent promoted = Promotions.promoted(topics, dataset, 1);
        assertThat(promoted.modelVersion()).isEqualTo(1);
        assertThat(promoted.previousVersion()).isNull();
        assertThat(promoted.rollback()).isFalse();
        assertThat(promoted.causationId()).isEqualTo(v1.eventId());
        assertThat(promoted.gates()).hasSize(5).allMatch(GateResult::passed);
        given().get("/models/{m}/stages", dataset.slug()).then().statusCode(200).body("model", equalTo(dataset.slug()))
                .body("staging.version", equalTo(1)).body("staging.dataVersion", equalTo(v1.dataVersion()));
        given().get("/models/{m}/promotions", dataset.slug()).then().statusCode(200).body("", hasSize(1))
                .body("[0].cause", equalTo(v1.eventId().toString())).body("[0].gates", hasSize(5)).body("[0].gates[0].metric", equalTo("accuracy"))
                .body("[0].gates[0].rule", equalTo("min")).body("[0].gates[0].value", equalTo(0.9f));
        given().contentType(ContentType.JSON).body(Map.of("records", List.of(Map.of("feedback", "great fast helpful friendly"),
                        Map.of("feedback", "terrible slow broken awful"))))
                .post("/models/{m}/staging/predict", dataset.slug()).then().statusCode(200).body("version", equalTo(1))
                .body("predictions[0].label", equalTo("positive")).body("predictions[1].label", equalTo("negative"))
                .body("predictions[0].scores.positive", org.hamcrest.Matchers.greaterThan(0.5f));
        // no cluster to roll out to: nothing happened outside the alias move's transaction, so no intent was recorded
        assertThat(io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> intents.count("model", dataset.slug()))).isZero();
    }

    @Test
    void shouldEvaluateABranchCandidateWithoutEverMovingStaging() {
        Promotions.Dataset dataset = Promotions.staged(topics, "Branch candidate", POLICY, Promotions.metrics(0.85, 0.84, 0.4));

        // better than staging on every gate, but trained on a branch: evaluated, passed, not promoted
        ModelRegisteredEvent better = Promotions.register(dataset, 2, Promotions.metrics(0.9, 0.89, 0.3), 1, Promotions.metrics(0.85, 0.84, 0.4));
        topics.publish(Topics.MODEL_REGISTERED, Promotions.onBranch(better, "relabel"));
        ModelRegisteredEvent worse = Promotions.register(dataset, 3, Promotions.metrics(0.7, 0.6, 0.9), 1, Promotions.metrics(0.85, 0.84, 0.4));
        topics.publish(Topics.MODEL_REGISTERED, Promotions.onBranch(worse, "relabel"));

        List<ModelCandidateEvaluatedEvent> evaluated = Promotions.read(topics, Topics.MODEL_CANDIDATE_EVALUATED, dataset, 2,
                ModelCandidateEvaluatedEvent.class);
        assertThat(evaluated).extracting(ModelCandidateEvaluatedEvent::modelVersion).containsExactly(2, 3);
        assertThat(evaluated.get(0).passed()).isTrue();
        assertThat(evaluated.get(0).reason()).isNull();
        assertThat(evaluated.get(0).stagedVersion()).isEqualTo(1);
        assertThat(evaluated.get(0).branch()).isEqualTo("relabel");
        assertThat(evaluated.get(0).causationId()).isEqualTo(better.eventId());
        assertThat(evaluated.get(0).gates()).hasSize(5).allMatch(GateResult::passed);
        assertThat(evaluated.get(1).passed()).isFalse();
        assertThat(evaluated.get(1).reason()).contains("accuracy min");
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(1));
        given().get("/models/{m}/promotions", dataset.slug()).then().body("", hasSize(1));
        // not by hand either, not even forced
        given().contentType(ContentType.JSON).body(Map.of("version", 2, "force", true)).post("/models/{m}/stages/staging", dataset.slug())
                .then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("branch \"relabel\""));
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(1));
    }

    @Test
    void shouldRejectAVersionNamingEveryFailedGateAndKeepStaging() {
        Promotions.Dataset dataset = Promotions.staged(topics, "Rejected", POLICY, Promotions.metrics(0.9, 0.88, 0.3));

        ModelRegisteredEvent v2 = Promotions.register(dataset, 2, Promotions.metrics(0.75, 0.70, 0.7), 1, Promotions.metrics(0.9, 0.88, 0.3));
        topics.publish(Topics.MODEL_REGISTERED, v2);

        ModelPromotionRejectedEvent rejected = Promotions.rejected(topics, dataset, 1);
        assertThat(rejected.modelVersion()).isEqualTo(2);
        assertThat(rejected.gates()).filteredOn(g -> !g.passed()).extracting(GateResult::metric, GateResult::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("accuracy", "min"), org.assertj.core.groups.Tuple.tuple("macroF1", "maxRegression"),
                        org.assertj.core.groups.Tuple.tuple("accuracy", "maxRelativeRegression"), org.assertj.core.groups.Tuple.tuple("logLoss", "max"),
                        org.assertj.core.groups.Tuple.tuple("macroF1", "requireImprovement"));
        assertThat(rejected.reason()).contains("accuracy min: measured 0.7500, threshold 0.8000")
                .contains("macroF1 maxRegression: measured 0.1800, threshold 0.0100").contains("logLoss max: measured 0.7000, threshold 0.6000");
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(1));
        given().get("/models/{m}/promotions", dataset.slug()).then().body("", hasSize(1));
    }

    @Test
    void shouldPromoteAnImprovementOverStagingAndRecordThePreviousVersion() {
        Promotions.Dataset dataset = Promotions.staged(topics, "Improving", POLICY, Promotions.metrics(0.85, 0.84, 0.4));

        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 2, Promotions.metrics(0.9, 0.89, 0.3), 1,
                Promotions.metrics(0.85, 0.84, 0.4)));

        ModelPromotedEvent promoted = Promotions.promoted(topics, dataset, 2);
        assertThat(promoted.modelVersion()).isEqualTo(2);
        assertThat(promoted.previousVersion()).isEqualTo(1);
        GateResult improvement = promoted.gates().get(4);
        assertThat(improvement.rule()).isEqualTo("requireImprovement");
        assertThat(improvement.value()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        given().get("/models/{m}/promotions", dataset.slug()).then().body("version", equalTo(List.of(2, 1)))
                .body("previousVersion", equalTo(java.util.Arrays.asList(1, null)));
    }

    @Test
    void shouldApplyTheDefaultPolicyWithoutAPromotionSpec() {
        Promotions.Dataset dataset = Promotions.staged(topics, "Default policy", null, Promotions.metrics(0.6, 0.6, 0.9));

        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 2, Promotions.metrics(0.585, 0.7, 0.5), 1, Promotions.metrics(0.6, 0.6, 0.9)));
        ModelPromotionRejectedEvent rejected = Promotions.rejected(topics, dataset, 1);
        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 3, Promotions.metrics(0.595, 0.6, 0.9), 1, Promotions.metrics(0.6, 0.6, 0.9)));
        ModelPromotedEvent promoted = Promotions.promoted(topics, dataset, 2);

        assertThat(rejected.modelVersion()).isEqualTo(2);
        assertThat(rejected.gates()).singleElement().satisfies(g -> {
            assertThat(g.rule()).isEqualTo("default");
            assertThat(g.value()).isCloseTo(0.015, org.assertj.core.data.Offset.offset(1e-9));
        });
        assertThat(promoted.modelVersion()).isEqualTo(3);
    }
}
