package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.dataset.Api;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.DriftScore;
import io.dataline.events.FailedCheck;
import io.dataline.events.ModelMetrics;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.events.TrainingRunStartedEvent;
import io.dataline.service.messaging.PipelineConsumer;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Covers the lineage view: {@code GET /datasets/{d}/versions/{v}/pipeline} lists every stage the version reached,
 * projected from the topics (its own commit, then what validation published), with times, outcomes, details and
 * links (the report, the training run, the model version, the promotions); a redelivered event adds nothing; a poison record on a pipeline topic goes to
 * {@code <topic>.dataset-service.dlq}.
 */
@QuarkusTest
class LineageTest {

    @Inject
    TopicClient topics;

    @Inject
    KafkaClientService clients;

    /**
     * The lineage consumer is answered at the first event: gathering events per fetch (64 KiB or 100 ms) handed it a
     * version's promotion before its registration often, and the webhook deliveries it queues follow that order.
     */
    @Test
    void shouldNotLetTheBrokerHoldEventsBackFromTheLineageConsumer() {
        Object minimum = clients.getConsumer(PipelineConsumer.CHANNEL).configuration().get(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MIN_BYTES_CONFIG);
        assertThat(minimum == null ? "1" : minimum.toString()).isEqualTo("1");
    }

    @Test
    void shouldShowEveryStageAVersionReached() {
        String name = Api.uniqueName("Lineage");
        String slug = Api.createFeedbackDataset(name);
        String version = Api.commitOne(name, "traced commit");
        await().atMost(Duration.ofSeconds(30)).until(() -> stages(name, version).size() == 1);
        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", name, version).then()
                .body("complete", equalTo(false)).body("outcome", org.hamcrest.Matchers.nullValue());

        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DatasetValidationFailedEvent failed = new DatasetValidationFailedEvent(UUID.randomUUID(), at, name, slug, version, UUID.randomUUID(),
                "validation-service", 1, "http://127.0.0.1:8081/reports/" + slug + "/" + version, 3, List.of(new DriftScore("sentiment", null, null, null)),
                List.of(new FailedCheck("minRecords", null, com.fasterxml.jackson.databind.node.IntNode.valueOf(1),
                        com.fasterxml.jackson.databind.node.IntNode.valueOf(100), List.of())));
        topics.publish(Topics.DATASET_VALIDATION_FAILED, failed);
        topics.publish(Topics.DATASET_VALIDATION_FAILED, failed);
        topics.publishRaw(Topics.DATASET_VALIDATED, name, "{not json".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> stages(name, version).size() == 2);

        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", name, version).then().statusCode(200)
                .body("dataset", equalTo(name)).body("dataVersion", equalTo(version))
                .body("stages.stage", equalTo(List.of("committed", "validation")))
                .body("stages.status", equalTo(List.of("done", "failed")))
                .body("complete", equalTo(true)).body("outcome", equalTo("failed"))
                .body("stages[0].detail.recordCount", equalTo(1)).body("stages[0].link", equalTo("/datasets/" + slug + "/versions/" + version))
                .body("stages[1].detail.failedChecks[0].check", equalTo("minRecords"))
                .body("stages[1].link", equalTo("http://127.0.0.1:8081/reports/" + slug + "/" + version));
        assertThat(topics.read(Topics.DATASET_VALIDATED + ".dataset-service.dlq", 1, r -> name.equals(r.key()), Duration.ofSeconds(30)))
                .singleElement().satisfies(r -> assertThat(TopicClient.header(r, "dead-letter-reason")).startsWith("not JSON"));
        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", name, "0".repeat(64)).then().statusCode(404);
    }

    @Test
    void shouldLinkEachStageToWhereItsDetailsLive() {
        String name = Api.uniqueName("Linked");
        String slug = Api.createFeedbackDataset(name);
        String version = Api.commitOne(name, "linked commit");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID cause = UUID.randomUUID();

        topics.publish(Topics.TRAINING_RUN_STARTED, new TrainingRunStartedEvent(UUID.randomUUID(), at, name, slug, version, cause,
                "training-orchestrator", "run-1", slug, "builtin"));
        var metrics = new ModelMetrics(0.9, 0.9, 0.2);
        topics.publish(Topics.MODEL_REGISTERED, new ModelRegisteredEvent(UUID.randomUUID(), at.plusMillis(1), name, slug, version,
                cause, "training-orchestrator", "run-1", slug, 3, metrics, null, null, "http://127.0.0.1:8082/models/" + slug + "/versions/3/artifact",
                "ab".repeat(32), 1));
        topics.publish(Topics.MODEL_PROMOTED, new ModelPromotedEvent(UUID.randomUUID(), at.plusMillis(2), name, slug, version, cause,
                "deploy-service", slug, 3, null, "staging", false, List.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> stages(name, version).size() == 4);

        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", name, version).then().statusCode(200)
                .body("stages.stage", equalTo(List.of("committed", "training", "registered", "promotion")))
                .body("stages.status", equalTo(List.of("done", "succeeded", "done", "promoted")))
                .body("stages[1].link", equalTo("http://127.0.0.1:8082/runs/run-1"))
                .body("stages[2].link", equalTo("http://127.0.0.1:8082/models/" + slug + "/versions/3"))
                .body("stages[3].link", equalTo("http://127.0.0.1:8083/models/" + slug + "/promotions"))
                .body("stages[3].status", equalTo("promoted"))
                .body("complete", equalTo(true)).body("outcome", equalTo("promoted"));
    }

    @Test
    void shouldEndAtValidationWhenThePinnedPipelineHasNoTraining() {
        String name = Api.uniqueName("Untrained");
        String slug = Api.createFeedbackDataset(name);
        String version = commitAndValidate(name, slug, "validated only");

        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", name, version).then().statusCode(200)
                .body("stages.status", equalTo(List.of("done", "passed")))
                .body("complete", equalTo(true)).body("outcome", equalTo("validated"));
    }

    @Test
    void shouldWaitForTrainingWhenThePinnedPipelineHasIt() {
        String name = Api.uniqueName("Trained");
        String slug = Api.createFeedbackDataset(name);
        Api.admin().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("training", Map.of("trainer", "builtin", "labelField", "sentiment",
                        "features", List.of(Map.of("field", "feedback", "type", "text")))))
                .put("/datasets/{d}/pipeline", name).then().statusCode(200);
        String version = commitAndValidate(name, slug, "to be trained");

        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", name, version).then().statusCode(200)
                .body("complete", equalTo(false)).body("outcome", org.hamcrest.Matchers.nullValue());
    }

    /** Commits one record, announces its validation on the topic and waits until the view shows both stages. */
    private String commitAndValidate(String name, String slug, String message) {
        String version = Api.commitOne(name, message);
        int revision = Api.admin().get("/datasets/{d}/versions/{v}", name, version).then().statusCode(200).extract().path("pipelineRevision");
        topics.publish(Topics.DATASET_VALIDATED, new io.dataline.events.DatasetValidatedEvent(UUID.randomUUID(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), name, slug, version, UUID.randomUUID(), "validation-service", revision,
                "http://127.0.0.1:8081/reports/" + slug + "/" + version, 2, List.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> stages(name, version).size() == 2);
        return version;
    }

    private static List<Map<String, Object>> stages(String dataset, String version) {
        return Api.admin().get("/datasets/{d}/versions/{v}/pipeline", dataset, version).then().statusCode(200).extract().path("stages");
    }
}
