package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A new immutable version of a dataset was committed. Published by dataset-service on {@link Topics#DATASET_COMMITTED}.
 * {@code schemaVersion} (the record schema the version was checked against) and {@code treeFormat} (the prolly-tree
 * format its {@code dataHash} was computed in) are {@code null} in events from before they were carried: a consumer then
 * reads them from the version's view.
 */
public record DatasetCommittedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        String dataHash, String parent, String message, String author, Instant committedAt,
        long recordCount, long added, long updated, long deleted, int pipelineRevision, String codeCommit, String branch,
        Integer schemaVersion, Integer treeFormat)
        implements PipelineEvent {

    /** The event as it was before it carried the schema version and tree format. */
    public DatasetCommittedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            String dataHash, String parent, String message, String author, Instant committedAt,
            long recordCount, long added, long updated, long deleted, int pipelineRevision, String codeCommit, String branch) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, dataHash, parent, message, author, committedAt, recordCount, added, updated, deleted, pipelineRevision, codeCommit, branch, null, null);
    }

    /** The event of a version on {@code main} (no branch named), as before branches existed. */
    public DatasetCommittedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            String dataHash, String parent, String message, String author, Instant committedAt,
            long recordCount, long added, long updated, long deleted, int pipelineRevision, String codeCommit) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, dataHash, parent, message, author, committedAt, recordCount, added, updated, deleted, pipelineRevision, codeCommit, null);
    }
}
