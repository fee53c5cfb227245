package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/** A training run ended without a model. Published by training-orchestrator on {@link Topics#TRAINING_RUN_FAILED}. */
public record TrainingRunFailedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        String runId, String model, String trainer, String reason, String branch)
        implements PipelineEvent {

    /** The event of a version on {@code main} (no branch named), as before branches existed. */
    public TrainingRunFailedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            String runId, String model, String trainer, String reason) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, runId, model, trainer, reason, null);
    }
}
