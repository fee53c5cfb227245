package io.dataline.training.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.models.TrainingSpec;
import io.dataline.training.service.VersionData;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * What a back-end gets for one run: the version's records already split (training and held-out, in key order, in two
 * files; in memory only on request, within {@code maxRecordsInMemory}), the run's own directory (with {@code out/} for
 * what it produces), the URL of the training split at the orchestrator (for a remote trainer: it never gets the
 * held-out records, nor a key to dataset-service), the URL and token a remote trainer reads and uploads with, and the
 * run's log.
 */
public record TrainingJob(UUID runId, int attempt, String dataset, String datasetSlug, String dataVersion, TrainingSpec spec,
        VersionData data, long maxRecordsInMemory, Path runDir, String dataUrl, String uploadUrl, String uploadToken, RunLog log) {

    /** The training records in memory (the built-in trainer); refused past {@code maxRecordsInMemory}. */
    public List<JsonNode> training() throws TrainingFailedException {
        return data.training(maxRecordsInMemory);
    }

    public Path outDir() {
        return runDir.resolve("out");
    }
}
