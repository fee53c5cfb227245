package io.dataline.dataset.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.Topics;
import io.dataline.service.outbox.OutboxPublisher;
import io.dataline.testsupport.SampleEvents;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Covers the publishing half of the pipeline's first hop without a registry: an event sent through the
 * shared {@code outbox} channel to {@code dataset.committed} reaches the real broker keyed by dataset name, as plain JSON that reads back
 * equal, carrying a W3C {@code traceparent} header so consumers continue the trace; an event that breaks its schema
 * is refused at once, nothing of it is written, and the channel goes on publishing.
 */
@QuarkusTest
class DatasetCommittedPublishingTest {

    @Inject
    OutboxPublisher publisher;

    @Inject
    TopicClient topics;

    @Test
    void shouldPublishPlainJsonKeyedByDatasetWithTraceContext() throws Exception {
        DatasetCommittedEvent event = SampleEvents.committed("Publisher " + System.nanoTime());

        ConsumerRecord<String, byte[]> record = publishAndRead(publisher, topics, event);
        assertThat(TopicClient.header(record, "traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        assertThat(record.headers().lastHeader("apicurio.value.contentId")).isNull();
    }

    @Test
    void shouldRefuseAnEventThatBreaksItsSchemaAndKeepPublishing() throws Exception {
        DatasetCommittedEvent valid = SampleEvents.committed("Refused " + System.nanoTime());
        DatasetCommittedEvent broken = new DatasetCommittedEvent(valid.eventId(), valid.occurredAt(), valid.dataset(),
                valid.datasetSlug(), "not-a-hash", null, valid.producer(), valid.dataHash(), null, valid.message(),
                valid.author(), valid.committedAt(), 1, 1, 0, 0, 1, null);

        Assertions.assertThatThrownBy(() -> publisher.send(broken, null).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .hasMessageContaining("/dataVersion");

        publisher.send(valid, null).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(topics.read(Topics.DATASET_COMMITTED, 1, r -> valid.dataset().equals(r.key()), Duration.ofSeconds(30)))
                .hasSize(1);
    }

    /** Publishes the event through the outbox publisher and reads it back from its topic, checking it arrived whole. */
    static ConsumerRecord<String, byte[]> publishAndRead(OutboxPublisher publisher, TopicClient topics, DatasetCommittedEvent event)
            throws Exception {
        publisher.send(event, null).toCompletableFuture().get(30, TimeUnit.SECONDS);
        ConsumerRecord<String, byte[]> record = topics
                .read(Topics.DATASET_COMMITTED, 1, r -> event.dataset().equals(r.key()), Duration.ofSeconds(30)).get(0);
        assertThat(EventJson.mapper().readValue(record.value(), DatasetCommittedEvent.class)).isEqualTo(event);
        return record;
    }
}
