package io.dataline.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A committed version passed its data contract. Published by validation-service on {@link Topics#DATASET_VALIDATED}. */
public record DatasetValidatedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        int pipelineRevision, String reportUrl, int checksRun, List<DriftScore> drift, String branch)
        implements PipelineEvent {

    /** The event of a version on {@code main} (no branch named), as before branches existed. */
    public DatasetValidatedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            int pipelineRevision, String reportUrl, int checksRun, List<DriftScore> drift) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, pipelineRevision, reportUrl, checksRun, drift, null);
    }
}
