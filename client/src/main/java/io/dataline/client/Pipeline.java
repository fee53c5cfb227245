package io.dataline.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** What happened to a version, stage by stage (dataset-service's lineage view). */
public record Pipeline(String dataset, String dataVersion, List<Stage> stages) {

    /** One stage: {@code committed}, {@code validation}, {@code training}, {@code registered}, {@code promotion}. */
    public record Stage(String stage, String status, Instant at, JsonNode detail, String link) {
    }

    /** Whether the version reached the end of its pipeline: a failure, or a promotion decision. */
    public boolean finished() {
        return stages.stream().anyMatch(s -> s.status().equals("failed") || s.stage().equals("promotion"));
    }
}
