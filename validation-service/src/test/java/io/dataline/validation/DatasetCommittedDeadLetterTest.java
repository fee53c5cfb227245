package io.dataline.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.events.Topics;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.SampleEvents;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Covers poison messages on {@code dataset.committed}: a record that is not JSON, one that breaks the event schema,
 * and an event naming a dataset that does not exist each land on {@code dataset.committed.validation-service.dlq}
 * unchanged, with the reason and origin in headers, and the consumer goes on to validate the next good commit.
 */
@QuarkusTest
class DatasetCommittedDeadLetterTest {

    static final String DLQ = Topics.deadLetter(Topics.DATASET_COMMITTED, "validation-service");

    @Inject
    TopicClient topics;

    @Inject
    Reports reports;

    @Test
    void shouldSendPoisonMessagesToTheDeadLetterTopicAndKeepConsuming() {
        String dataset = DatasetServiceApi.uniqueName("Poison");
        String slug = DatasetServiceApi.create(dataset, null);
        String notJson = "{\"dataset\": \"" + dataset + "\", oops";
        String wrongShape = "{\"dataset\": \"" + dataset + "\", \"recordCount\": \"many\"}";

        topics.publishRaw(Topics.DATASET_COMMITTED, dataset, notJson.getBytes(StandardCharsets.UTF_8));
        topics.publishRaw(Topics.DATASET_COMMITTED, dataset, wrongShape.getBytes(StandardCharsets.UTF_8));
        topics.publish(Topics.DATASET_COMMITTED, SampleEvents.committed(dataset + " (deleted)"));
        String version = DatasetServiceApi.commit(dataset, List.of(DatasetServiceApi.record("a", "x", "positive")), null);

        await().atMost(Duration.ofSeconds(60)).until(() -> reports.of(slug, version).size() == 1);
        List<ConsumerRecord<String, byte[]>> dead = topics.read(DLQ, 3, r -> r.key() != null && r.key().startsWith(dataset),
                Duration.ofSeconds(30));
        assertThat(dead.subList(0, 2)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly(notJson, wrongShape);
        assertThat(TopicClient.header(dead.get(0), "dead-letter-reason")).startsWith("not JSON on dataset.committed");
        assertThat(TopicClient.header(dead.get(1), "dead-letter-reason"))
                .contains("breaks its schema").contains("/recordCount").contains("eventId");
        assertThat(TopicClient.header(dead.get(2), "dead-letter-reason")).contains("does not exist in dataset-service");
        assertThat(dead).allSatisfy(r -> {
            assertThat(TopicClient.header(r, "dead-letter-topic")).isEqualTo(Topics.DATASET_COMMITTED);
            assertThat(TopicClient.header(r, "dead-letter-offset")).isNotBlank();
        });
    }
}
