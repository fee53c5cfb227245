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
        int pipelineRevision, String reportUrl, int checksRun, List<DriftScore> drift, List<FailedCheck> failedChecks)
        implements PipelineEvent {
}
