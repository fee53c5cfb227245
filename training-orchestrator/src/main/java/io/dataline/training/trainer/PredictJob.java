package io.dataline.training.trainer;

import io.dataline.models.TrainingSpec;
import java.nio.file.Path;
import java.util.UUID;

/**
 * One measurement of a model that runs outside this JVM: its predict entry point runs on {@code input} (the labelled
 * held-out records with the label field removed, NDJSON, key order) and must answer one line per record
 * ({@link Predictions}). {@code role} is {@code candidate} or {@code baseline} within a run, {@code compare} outside
 * one; only a run has an upload URL and token (a Kubernetes predict Job needs them), and {@code runDir} is the run
 * attempt's directory (or a temporary one for a comparison).
 */
public record PredictJob(UUID runId, int attempt, String role, TrainingSpec spec, String dataset, String dataVersion, Path model, Path input,
        long records, Path runDir, String inputsUrl, String uploadUrl, String uploadToken, RunLog log) {

    /** The working directory of this measurement (its sandbox for a process trainer). */
    public Path dir() {
        return runDir.resolve("predict-" + role);
    }

    /** Whether this measurement belongs to a running attempt (a token for the run's inputs and uploads exists). */
    public boolean inRun() {
        return uploadToken != null;
    }
}
