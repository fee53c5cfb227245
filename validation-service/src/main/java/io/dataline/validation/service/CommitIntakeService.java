package io.dataline.validation.service;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.Topics;
import io.dataline.validation.CommittedVersion;
import io.dataline.validation.CommittedVersionRepository;
import io.dataline.validation.ProcessedEvent;
import io.dataline.validation.ProcessedEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/**
 * Takes committed versions into this service: records each one once, together with its event id, in one
 * transaction, so a redelivered {@code dataset.committed} event is a no-op, and so is a version announced again
 * under a new event id (e.g. an outbox replay).
 */
@ApplicationScoped
public class CommitIntakeService {

    private final ProcessedEventRepository processedEvents;
    private final CommittedVersionRepository versions;
    private final Clock clock;

    CommitIntakeService(ProcessedEventRepository processedEvents, CommittedVersionRepository versions) {
        this.processedEvents = processedEvents;
        this.versions = versions;
        this.clock = Clock.systemUTC();
    }

    /** Records the committed version; returns false when this event or this version was already taken in. */
    @Transactional
    public boolean receive(DatasetCommittedEvent event, String traceId) {
        if (processedEvents.findByIdOptional(event.eventId()).isPresent()) {
            return false;
        }
        Instant now = clock.instant();
        ProcessedEvent processed = new ProcessedEvent();
        processed.eventId = event.eventId();
        processed.topic = Topics.DATASET_COMMITTED;
        processed.processedAt = now;
        processedEvents.persist(processed);
        if (versions.findByVersion(event.datasetSlug(), event.dataVersion()).isPresent()) {
            return false;
        }

        CommittedVersion version = new CommittedVersion();
        version.eventId = event.eventId();
        version.dataset = event.dataset();
        version.datasetSlug = event.datasetSlug();
        version.dataVersion = event.dataVersion();
        version.parent = event.parent();
        version.dataHash = event.dataHash();
        version.recordCount = event.recordCount();
        version.pipelineRevision = event.pipelineRevision();
        version.committedAt = event.committedAt();
        version.receivedAt = now;
        version.traceId = traceId;
        versions.persist(version);
        return true;
    }
}
