package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.dataset.Api;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.DriftScore;
import io.dataline.events.FailedCheck;
import io.dataline.events.Topics;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
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
 * links; a redelivered event adds nothing; a poison record on a pipeline topic goes to
 * {@code <topic>.dataset-service.dlq}.
 */
@QuarkusTest
class LineageTest {

    @Inject
    TopicClient topics;

    @Test
    void shouldShowEveryStageAVersionReached() {
        String name = Api.uniqueName("Lineage");
        String slug = Api.createFeedbackDataset(name);
        Api.stage(name, List.of(Api.feedback("a", "x", "positive"))).then().statusCode(200);
        String version = Api.commit(name, "traced commit").then().statusCode(201).extract().path("hash");
        await().atMost(Duration.ofSeconds(30)).until(() -> stages(name, version).size() == 1);

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
                .body("stages[0].detail.recordCount", equalTo(1)).body("stages[0].link", equalTo("/datasets/" + slug + "/versions/" + version))
                .body("stages[1].detail.failedChecks[0].check", equalTo("minRecords"))
                .body("stages[1].link", equalTo("http://127.0.0.1:8081/reports/" + slug + "/" + version));
        assertThat(topics.read(Topics.DATASET_VALIDATED + ".dataset-service.dlq", 1, r -> name.equals(r.key()), Duration.ofSeconds(30)))
                .singleElement().satisfies(r -> assertThat(TopicClient.header(r, "dead-letter-reason")).startsWith("not JSON"));
        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", name, "0".repeat(64)).then().statusCode(404);
    }

    private static List<Map<String, Object>> stages(String dataset, String version) {
        return Api.admin().get("/datasets/{d}/versions/{v}/pipeline", dataset, version).then().statusCode(200).extract().path("stages");
    }
}
