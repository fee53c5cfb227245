package io.dataline.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A committed version broke its data contract (a business rejection, not an error). Published by
 * validation-service on {@link Topics#DATASET_VALIDATION_FAILED}.
 */
public record DatasetValidationFailedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        int pipelineRevision, String reportUrl, int checksRun, List<DriftScore> drift, List<FailedCheck> failedChecks, String branch)
        implements PipelineEvent {

    /** The event of a version on {@code main} (no branch named), as before branches existed. */
    public DatasetValidationFailedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            int pipelineRevision, String reportUrl, int checksRun, List<DriftScore> drift, List<FailedCheck> failedChecks) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, pipelineRevision, reportUrl, checksRun, drift, failedChecks, null);
    }
}
