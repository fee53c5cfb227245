package io.dataline.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.Topics;
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
 * Covers poison messages on {@code dataset.committed}: a record that is not JSON and one that breaks the event schema
 * each land on {@code dataset.committed.validation-service.dlq} unchanged, with the reason and origin in headers, and
 * the consumer goes on to process the next good event. Nothing is stored for the poison records.
 */
@QuarkusTest
class DatasetCommittedDeadLetterTest {

    static final String DLQ = Topics.deadLetter(Topics.DATASET_COMMITTED, "validation-service");

    @Inject
    TopicClient topics;

    @Inject
    CommittedVersions stored;

    @Test
    void shouldSendPoisonMessagesToTheDeadLetterTopicAndKeepConsuming() {
        String dataset = "Poison " + System.nanoTime();
        String notJson = "{\"dataset\": \"" + dataset + "\", oops";
        String wrongShape = "{\"dataset\": \"" + dataset + "\", \"recordCount\": \"many\"}";
        DatasetCommittedEvent good = SampleEvents.committed(dataset);

        topics.publishRaw(Topics.DATASET_COMMITTED, dataset, notJson.getBytes(StandardCharsets.UTF_8));
        topics.publishRaw(Topics.DATASET_COMMITTED, dataset, wrongShape.getBytes(StandardCharsets.UTF_8));
        topics.publish(Topics.DATASET_COMMITTED, good);

        await().atMost(Duration.ofSeconds(30)).until(() -> stored.ofDataset(dataset).size() == 1);
        assertThat(stored.ofDataset(dataset).get(0).eventId).isEqualTo(good.eventId());

        List<ConsumerRecord<String, byte[]>> dead = topics.read(DLQ, 2, r -> dataset.equals(r.key()), Duration.ofSeconds(30));
        assertThat(dead).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly(notJson, wrongShape);
        assertThat(TopicClient.header(dead.get(0), "dead-letter-reason")).startsWith("not JSON on dataset.committed");
        assertThat(TopicClient.header(dead.get(1), "dead-letter-reason"))
                .contains("breaks its schema").contains("/recordCount").contains("eventId");
        assertThat(dead).allSatisfy(r -> {
            assertThat(TopicClient.header(r, "dead-letter-topic")).isEqualTo(Topics.DATASET_COMMITTED);
            assertThat(TopicClient.header(r, "dead-letter-offset")).isNotBlank();
        });
    }
}
