package io.dataline.training.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** A registered model version with its lineage (the branch: {@code main}, else a candidate from a branch) and metrics. */
public record ModelVersionView(String model, int version, String dataset, String datasetSlug, String dataVersion, String branch, String dataHash,
        int pipelineRevision, String codeCommit, String trainer, String template, JsonNode params, JsonNode spec, JsonNode metrics,
        Integer baselineVersion, JsonNode baselineMetrics, Artifact artifact, int trainRecords, int heldOutRecords, UUID runId,
        boolean staged, Instant createdAt) {

    /** Where the artifact is served, its checksum, size and format. */
    public record Artifact(String uri, String sha256, long size, String format) {
    }
}
