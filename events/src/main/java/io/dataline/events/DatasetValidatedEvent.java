package io.dataline.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A committed version passed its data contract. Published by validation-service on {@link Topics#DATASET_VALIDATED}.
 * {@code dataHash}, {@code recordCount} and {@code treeFormat} repeat the version's (what a reader of its records checks
 * them against); {@code null} in events from before they were carried, when a consumer reads them from the version's view.
 */
public record DatasetValidatedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        int pipelineRevision, String reportUrl, int checksRun, List<DriftScore> drift, String branch,
        String dataHash, Long recordCount, Integer treeFormat)
        implements PipelineEvent {

    /** The event as it was before it carried the version's data hash, record count and tree format. */
    public DatasetValidatedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            int pipelineRevision, String reportUrl, int checksRun, List<DriftScore> drift, String branch) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, pipelineRevision, reportUrl, checksRun, drift, branch, null, null, null);
    }

    /** The event of a version on {@code main} (no branch named), as before branches existed. */
    public DatasetValidatedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            int pipelineRevision, String reportUrl, int checksRun, List<DriftScore> drift) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, pipelineRevision, reportUrl, checksRun, drift, null);
    }
}
