package io.dataline.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A model version now holds a stage alias ({@code staging}); {@code rollback} is true when an operator moved the
 * alias back. Published by deploy-service on {@link Topics#MODEL_PROMOTED}.
 */
public record ModelPromotedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        String model, int modelVersion, Integer previousVersion, String stage, boolean rollback, List<GateResult> gates, String branch)
        implements PipelineEvent {

    /** The event of a version on {@code main} (no branch named), as before branches existed. */
    public ModelPromotedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            String model, int modelVersion, Integer previousVersion, String stage, boolean rollback, List<GateResult> gates) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, model, modelVersion, previousVersion, stage, rollback, gates, null);
    }
}
