package io.dataline.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A model version failed its promotion gates; {@code gates} lists every gate with the failed ones marked.
 * Published by deploy-service on {@link Topics#MODEL_PROMOTION_REJECTED}.
 */
public record ModelPromotionRejectedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        String model, int modelVersion, String stage, List<GateResult> gates, String reason, String branch)
        implements PipelineEvent {

    /** The event of a version on {@code main} (no branch named), as before branches existed. */
    public ModelPromotionRejectedEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            String model, int modelVersion, String stage, List<GateResult> gates, String reason) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, model, modelVersion, stage, gates, reason, null);
    }
}
