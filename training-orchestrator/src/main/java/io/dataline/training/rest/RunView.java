package io.dataline.training.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.training.RunState;
import io.dataline.training.TrainingRun;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A training run as the API shows it: state, timings, outcome and the tail of its log. */
public record RunView(UUID id, String dataset, String datasetSlug, String dataVersion, String branch, int pipelineRevision, String model, String trigger,
        UUID causeEventId, String requestedBy, String trainer, String template, JsonNode spec, RunState state, int attempts, String reason,
        Integer modelVersion, Instant createdAt, Instant startedAt, Instant finishedAt, Long durationMillis, String logsTail) {

    static RunView of(TrainingRun run, JsonNode spec, boolean withLogs) {
        Long duration = run.startedAt != null && run.finishedAt != null ? Duration.between(run.startedAt, run.finishedAt).toMillis() : null;
        return new RunView(run.id, run.dataset, run.datasetSlug, run.dataVersion, run.branch, run.pipelineRevision, run.model, run.trigger, run.causeEventId,
                run.requestedBy, run.trainer, run.template, spec, run.state, run.attempts, run.reason, run.modelVersion, run.createdAt, run.startedAt,
                run.finishedAt, duration, withLogs ? run.logsTail : null);
    }
}
