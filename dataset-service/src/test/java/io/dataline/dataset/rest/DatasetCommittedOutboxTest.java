package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.dataset.Api;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.Topics;
import io.dataline.testsupport.Infra;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Covers the outbox: each commit publishes one {@code DatasetCommittedEvent} on {@code dataset.committed}, keyed by
 * dataset name, with the commit's fields, in the trace of the commit request; while the broker is down commits still
 * succeed and their events wait, then go out in commit order once it is back.
 */
@QuarkusTest
class DatasetCommittedOutboxTest {

    @Inject
    TopicClient topics;

    @Test
    void shouldPublishTheCommitInTheRequestsTrace() throws Exception {
        String name = Api.uniqueName("Outbox");
        String slug = Api.createFeedbackDataset(name);
        Api.stage(name, List.of(Api.feedback("a", "x", "positive"), Api.feedback("b", "y", "negative"))).then().statusCode(200);
        String traceId = "0af7651916cd43dd8448eb211c80319c";

        Map<String, Object> version = Api.admin().header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .contentType("application/json").body(Map.of("message", "traced", "codeCommit", "abc123"))
                .post("/datasets/{d}/commits", name).then().statusCode(201).extract().as(Map.class);

        ConsumerRecord<String, byte[]> record = topics.read(Topics.DATASET_COMMITTED, 1, r -> name.equals(r.key()), Duration.ofSeconds(30)).get(0);
        DatasetCommittedEvent event = EventJson.mapper().readValue(record.value(), DatasetCommittedEvent.class);
        assertThat(event.dataset()).isEqualTo(name);
        assertThat(event.datasetSlug()).isEqualTo(slug);
        assertThat(event.dataVersion()).isEqualTo(version.get("hash"));
        assertThat(event.dataHash()).isEqualTo(version.get("dataHash"));
        assertThat(event.parent()).isNull();
        assertThat(event.message()).isEqualTo("traced");
        assertThat(event.author()).isEqualTo("admin");
        assertThat(event.recordCount()).isEqualTo(2);
        assertThat(event.added()).isEqualTo(2);
        assertThat(event.pipelineRevision()).isEqualTo(1);
        assertThat(event.codeCommit()).isEqualTo("abc123");
        assertThat(event.schemaVersion()).isEqualTo(version.get("schemaVersion")); // what validation reads of the version, carried
        assertThat(event.treeFormat()).isEqualTo(version.get("treeFormat"));
        assertThat(event.producer()).isEqualTo("dataset-service");
        assertThat(event.causationId()).isNull();
        assertThat(TopicClient.header(record, "traceparent")).startsWith("00-" + traceId + "-");
    }

    @Test
    void shouldHoldEventsWhileTheBrokerIsDownAndSendThemInOrderAfterwards() throws Exception {
        String name = Api.newFeedbackDataset("Outage");
        Api.stage(name, List.of(Api.feedback("warm-up", "x", "positive"))).then().statusCode(200);
        Api.commit(name, "before the outage").then().statusCode(201);
        topics.read(Topics.DATASET_COMMITTED, 1, r -> name.equals(r.key()), Duration.ofSeconds(30));

        Infra.kafka().stop();
        String first;
        String second;
        try {
            Api.stage(name, List.of(Api.feedback("during-1", "x", "positive"))).then().statusCode(200);
            first = Api.commit(name, "during the outage 1").then().statusCode(201).extract().path("hash");
            Api.stage(name, List.of(Api.feedback("during-2", "x", "positive"))).then().statusCode(200);
            second = Api.commit(name, "during the outage 2").then().statusCode(201).extract().path("hash");
            Thread.sleep(1500); // the relay tries, gets no acknowledgement, and backs off
        } finally {
            Infra.kafka().restart();
        }

        // delivery is at least once: a record the broker took just before it stopped may come again, so each version
        // counts at its first appearance
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<ConsumerRecord<String, byte[]>> records = topics.read(Topics.DATASET_COMMITTED, 3, r -> name.equals(r.key())
                && seen.add(read(r).dataVersion()), Duration.ofSeconds(90));
        List<String> versions = records.stream().map(r -> read(r).dataVersion()).toList();
        assertThat(versions).hasSize(3);
        assertThat(versions.subList(1, 3)).containsExactly(first, second);
    }

    private static DatasetCommittedEvent read(ConsumerRecord<String, byte[]> record) {
        try {
            return EventJson.mapper().readValue(record.value(), DatasetCommittedEvent.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
