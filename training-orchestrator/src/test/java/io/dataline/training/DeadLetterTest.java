package io.dataline.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.Topics;
import io.dataline.testsupport.SampleEvents;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Poison on this service's topics goes to its DLQs with the reason: bytes that are not an event on
 * {@code dataset.validated} and {@code model.promoted}, and a validated event naming a dataset that does not exist.
 */
@QuarkusTest
class DeadLetterTest {

    @Inject
    TopicClient topics;

    @Test
    void shouldDeadLetterUnreadableRecords() {
        String key = "poison-" + UUID.randomUUID();
        topics.publishRaw(Topics.DATASET_VALIDATED, key, "{not an event".getBytes(StandardCharsets.UTF_8));
        topics.publishRaw(Topics.MODEL_PROMOTED, key, "[]".getBytes(StandardCharsets.UTF_8));

        ConsumerRecord<String, byte[]> validated = topics.read(Topics.deadLetter(Topics.DATASET_VALIDATED, "training-orchestrator"), 1,
                r -> key.equals(r.key()), Duration.ofSeconds(60)).get(0);
        ConsumerRecord<String, byte[]> promoted = topics.read(Topics.deadLetter(Topics.MODEL_PROMOTED, "training-orchestrator"), 1,
                r -> key.equals(r.key()), Duration.ofSeconds(60)).get(0);

        assertThat(new String(validated.value(), StandardCharsets.UTF_8)).isEqualTo("{not an event");
        assertThat(TopicClient.header(validated, "dead-letter-reason")).isNotBlank();
        assertThat(TopicClient.header(promoted, "dead-letter-topic")).isEqualTo(Topics.MODEL_PROMOTED);
    }

    @Test
    void shouldDeadLetterAnEventForADatasetThatDoesNotExist() {
        String name = "Nowhere " + UUID.randomUUID();
        DatasetValidatedEvent event = new DatasetValidatedEvent(UUID.randomUUID(), Instant.now(), name, "nowhere-" + UUID.randomUUID().toString().substring(0, 8),
                SampleEvents.sha256(name), UUID.randomUUID(), "validation-service", 1, "http://127.0.0.1:8081/reports/x/y", 1, List.of());

        topics.publish(Topics.DATASET_VALIDATED, event);

        ConsumerRecord<String, byte[]> dead = topics.read(Topics.deadLetter(Topics.DATASET_VALIDATED, "training-orchestrator"), 1,
                r -> name.equals(r.key()), Duration.ofSeconds(60)).get(0);
        assertThat(TopicClient.header(dead, "dead-letter-reason")).contains("does not exist in dataset-service");
    }
}
