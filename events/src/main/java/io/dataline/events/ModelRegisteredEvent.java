package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A trained model version was evaluated and registered with its lineage. {@code baselineVersion} and
 * {@code baselineMetrics} describe the model in staging evaluated on the same held-out split ({@code null} when
 * nothing was in staging). {@code artifactFormat} is the artifact's format as registered ({@code null} in events from
 * before it was carried: a consumer then reads it from the registry). Published by training-orchestrator on
 * {@link Topics#MODEL_REGISTERED}.
 */
public record ModelRegisteredEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        String runId, String model, int modelVersion, ModelMetrics metrics, Integer baselineVersion,
        ModelMetrics baselineMetrics, String artifactUri, String artifactSha256, int pipelineRevision, String branch,
        String artifactFormat)
        implements PipelineEvent {

    /** The event as it was before it carried the artifact's format. */
    public ModelRegisteredEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            String runId, String model, int modelVersion, ModelMetrics metrics, Integer baselineVersion,
            ModelMetrics baselineMetrics, String artifactUri, String artifactSha256, int pipelineRevision, String branch) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, runId, model, modelVersion, metrics, baselineVersion, baselineMetrics, artifactUri, artifactSha256, pipelineRevision, branch, null);
    }

    /** The event of a version on {@code main} (no branch named), as before branches existed. */
    public ModelRegisteredEvent(UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
            String producer,
            String runId, String model, int modelVersion, ModelMetrics metrics, Integer baselineVersion,
            ModelMetrics baselineMetrics, String artifactUri, String artifactSha256, int pipelineRevision) {
        this(eventId, occurredAt, dataset, datasetSlug, dataVersion, causationId, producer, runId, model, modelVersion, metrics, baselineVersion, baselineMetrics, artifactUri, artifactSha256, pipelineRevision, null);
    }
}
