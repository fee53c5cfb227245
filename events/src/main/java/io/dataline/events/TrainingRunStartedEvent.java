package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/** A training run began for a validated version. Published by training-orchestrator on {@link Topics#TRAINING_RUN_STARTED}. */
public record TrainingRunStartedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        String runId, String model, String trainer, String branch)
        implements PipelineEvent {

    /** The event of a version on {@code main} (no branch named), as before branches existed. */
    public TrainingRunStartedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            String runId, String model, String trainer) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, runId, model, trainer, null);
    }
}
