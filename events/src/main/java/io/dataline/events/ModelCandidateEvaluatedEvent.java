package io.dataline.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A model trained on a branch was put through the promotion gates against the model in {@code stage} (the version
 * {@code stagedVersion}, {@code null} when nothing is staged) and, whatever the verdict, left the alias where it was:
 * branch models are candidates, only a merge into {@code main} can move staging. {@code passed} says whether it would
 * have been promoted, {@code reason} why not. Published by deploy-service on {@link Topics#MODEL_CANDIDATE_EVALUATED}.
 */
public record ModelCandidateEvaluatedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        String model, int modelVersion, String stage, Integer stagedVersion, boolean passed, List<GateResult> gates, String reason,
        String branch)
        implements PipelineEvent {
}
