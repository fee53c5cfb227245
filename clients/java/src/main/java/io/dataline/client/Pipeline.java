package io.dataline.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * What happened to a version, stage by stage (dataset-service's lineage view). {@code complete} says whether its
 * pipeline is over and {@code outcome} how it ended: {@code promoted}, {@code rejected} (the promotion gates said
 * no), {@code failed} (validation or training failed), {@code validated} (its pipeline has no training), or null
 * while it runs.
 */
public record Pipeline(String dataset, String dataVersion, boolean complete, String outcome, List<Stage> stages) {

    /** One stage: {@code committed}, {@code validation}, {@code training}, {@code registered}, {@code promotion}. */
    public record Stage(String stage, String status, Instant at, JsonNode detail, String link) {
    }

    /** Whether the version reached the end of its pipeline (a server without {@code complete}: a failure or a promotion). */
    public boolean finished() {
        return complete || stages.stream().anyMatch(s -> s.status().equals("failed") || s.stage().equals("promotion"));
    }

    /** Whether the version was turned away: it failed validation or training, or its promotion was rejected. */
    public boolean rejected() {
        return "failed".equals(outcome) || "rejected".equals(outcome)
                || stages.stream().anyMatch(s -> s.status().equals("failed") || s.status().equals("rejected"));
    }
}
