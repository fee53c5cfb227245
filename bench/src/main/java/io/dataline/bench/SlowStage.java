package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The slow stage {@code restarts --slow-stage N} adds: a dataset whose pipeline is a data contract and no training,
 * and one version of {@code N} records committed in one request, so that its validation takes minutes while the
 * services are killed around it. Choose {@code N} so that one validation pass outlasts the 60 s a Kafka consumer may
 * keep a message unacknowledged by default (12,000,000 on the 2-core bench machine); the suite reports whether the
 * stage did ({@link #validationSeconds}).
 */
final class SlowStage {

    /** The span the slow stage must outlast: what SmallRye's default commit strategy allows one message. */
    static final double MIN_SECONDS = 60;

    final String dataset;
    final long records;
    private String version;

    SlowStage(String tag, long records) {
        this.dataset = "bench-restarts-slow-" + tag;
        this.records = records;
    }

    /** Creates the dataset and commits the big version in one request (before any service is killed). */
    String commit(Api api, Suite.Context context) throws Exception {
        Map<String, Object> contract = Map.of("validation", Map.of("minRecords", records,
                "fields", Map.of("feedback", Map.of("maxNullFraction", 0.0, "minLength", 1, "maxLength", 400, "pattern", "^[a-z][a-z ]*$"),
                        "score", Map.of("min", 0.0, "max", 1.0),
                        "category", Map.of("allowedValues", List.of("billing", "ui", "performance", "support", "shipping")))));
        api.createDataset(dataset, contract);
        long salt = Records.freshSalt();
        long t0 = System.nanoTime();
        JsonNode answer = api.commitNdjson(dataset, "slow stage: " + records + " records", () -> CommitScaling.ndjson(0, records, 1, salt));
        version = answer.path("hash").asText();
        context.progress("slow stage: %,d records committed as %s in %.0f s; its validation runs while the services are killed",
                records, version.substring(0, 12), Stats.millis(t0, System.nanoTime()) / 1000);
        return version;
    }

    /** Seconds from the version's {@code committed} stage to its {@code validation} stage in the lineage view; NaN if either is missing. */
    static double validationSeconds(JsonNode view) {
        Instant committed = null;
        Instant validated = null;
        for (JsonNode stage : view.path("stages")) {
            switch (stage.path("stage").asText()) {
                case "committed" -> committed = Instant.parse(stage.path("at").asText());
                case "validation" -> validated = Instant.parse(stage.path("at").asText());
                default -> {
                }
            }
        }
        return committed == null || validated == null ? Double.NaN : (validated.toEpochMilli() - committed.toEpochMilli()) / 1000.0;
    }
}
