package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/** A new immutable version of a dataset was committed. Published by dataset-service on {@link Topics#DATASET_COMMITTED}. */
public record DatasetCommittedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        String dataHash, String parent, String message, String author, Instant committedAt,
        long recordCount, long added, long updated, long deleted, int pipelineRevision, String codeCommit, String branch)
        implements PipelineEvent {

    /** The event of a version on {@code main} (no branch named), as before branches existed. */
    public DatasetCommittedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            String dataHash, String parent, String message, String author, Instant committedAt,
            long recordCount, long added, long updated, long deleted, int pipelineRevision, String codeCommit) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, dataHash, parent, message, author, committedAt, recordCount, added, updated, deleted, pipelineRevision, codeCommit, null);
    }
}
