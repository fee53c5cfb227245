package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/** A training run began for a validated version. Published by training-orchestrator on {@link Topics#TRAINING_RUN_STARTED}. */
public record TrainingRunStartedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        String runId, String model, String trainer)
        implements PipelineEvent {
}
