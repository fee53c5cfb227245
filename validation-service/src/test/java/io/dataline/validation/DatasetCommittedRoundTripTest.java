package io.dataline.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.Topics;
import io.dataline.testsupport.SampleEvents;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Covers the plumbing end to end without a schema registry: a {@code DatasetCommittedEvent} published through the real
 * broker with the shared serializer is received, deserialized and stored in this service's PostgreSQL database, in
 * the trace the publisher started (W3C {@code traceparent} header); the same event delivered twice, or the same
 * version announced again under a new event id, is stored once.
 */
@QuarkusTest
class DatasetCommittedRoundTripTest {

    @Inject
    TopicClient topics;

    @Inject
    CommittedVersions stored;

    @Test
    void shouldStoreACommittedVersionInTheTraceThatPublishedIt() {
        DatasetCommittedEvent event = SampleEvents.committed("Round Trip " + System.nanoTime());
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        topics.publish(Topics.DATASET_COMMITTED, event, Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));

        await().atMost(Duration.ofSeconds(30)).until(() -> stored.ofDataset(event.dataset()).size() == 1);
        CommittedVersion version = stored.ofDataset(event.dataset()).get(0);
        assertThat(version.eventId).isEqualTo(event.eventId());
        assertThat(version.datasetSlug).isEqualTo(event.datasetSlug());
        assertThat(version.dataVersion).isEqualTo(event.dataVersion());
        assertThat(version.dataHash).isEqualTo(event.dataHash());
        assertThat(version.recordCount).isEqualTo(event.recordCount());
        assertThat(version.pipelineRevision).isEqualTo(event.pipelineRevision());
        assertThat(version.committedAt).isEqualTo(event.committedAt());
        assertThat(version.traceId).isEqualTo(traceId);
    }

    @Test
    void shouldStoreAnEventDeliveredTwiceOnlyOnce() {
        String dataset = "Duplicate Delivery " + System.nanoTime();
        DatasetCommittedEvent event = SampleEvents.committed(dataset);
        DatasetCommittedEvent next = SampleEvents.committed(dataset);

        topics.publish(Topics.DATASET_COMMITTED, event);
        topics.publish(Topics.DATASET_COMMITTED, event);
        topics.publish(Topics.DATASET_COMMITTED, next);

        // The partition is consumed in order: once the later event is stored, the duplicate has been handled.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stored.ofDataset(dataset).stream().anyMatch(v -> v.eventId.equals(next.eventId())));
        assertThat(stored.ofDataset(dataset)).extracting(v -> v.eventId)
                .containsExactlyInAnyOrder(event.eventId(), next.eventId());
    }

    @Test
    void shouldStoreAVersionAnnouncedAgainUnderANewEventIdOnlyOnce() {
        String dataset = "Replayed Version " + System.nanoTime();
        DatasetCommittedEvent event = SampleEvents.committed(dataset);
        DatasetCommittedEvent replay = new DatasetCommittedEvent(UUID.randomUUID(), event.occurredAt(), event.dataset(),
                event.datasetSlug(), event.dataVersion(), null, event.producer(), event.dataHash(), null, event.message(),
                event.author(), event.committedAt(), event.recordCount(), event.added(), event.updated(), event.deleted(),
                event.pipelineRevision(), null);
        DatasetCommittedEvent next = SampleEvents.committed(dataset);

        topics.publish(Topics.DATASET_COMMITTED, event);
        topics.publish(Topics.DATASET_COMMITTED, replay);
        topics.publish(Topics.DATASET_COMMITTED, next);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> stored.ofDataset(dataset).stream().anyMatch(v -> v.eventId.equals(next.eventId())));
        assertThat(stored.ofDataset(dataset)).extracting(v -> v.eventId)
                .containsExactlyInAnyOrder(event.eventId(), next.eventId());
    }
}
