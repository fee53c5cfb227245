package io.dataline.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A populated, realistic instance of every event type (every optional field filled, so nothing goes unchecked). */
final class EventSamples {

    static final String DATASET = "Customer Feedback Analysis";
    static final String SLUG = "customer-feedback-analysis";
    static final String VERSION = "9f2c4e1a7b3d5f6e8a0c2e4f6a8b0d2e4f6a8c0e2a4c6e8f0a2c4e6f8a0b2c4d";
    static final String PARENT = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b";
    static final Instant AT = Instant.parse("2026-11-26T08:15:30.123Z");
    static final String BRANCH = "relabel/q4-2023";
    static final UUID CAUSE = UUID.fromString("0b6f4a52-8c1e-4d9a-9a57-3f1d2c4b6e80");

    private EventSamples() {
    }

    static PipelineEvent of(EventType type) {
        UUID id = UUID.nameUUIDFromBytes(type.topic().getBytes());
        List<DriftScore> drift = List.of(new DriftScore("sentiment", 0.04, 0.0012, null), new DriftScore("rating", null, null, 0.08));
        List<GateResult> gates = List.of(new GateResult("accuracy", "min", 0.8, 0.86, true),
                new GateResult("macroF1", "maxRegression", 0.01, -0.02, false));
        ModelMetrics metrics = new ModelMetrics(0.86, 0.81, 0.41);
        return switch (type) {
            case DATASET_COMMITTED -> new DatasetCommittedEvent(id, AT, DATASET, SLUG, VERSION, null, "dataset-service",
                    "5e0c3a1d7f9b2e4a6c8e0a2c4e6a8c0e2a4c6e8f0a2c4e6f8a0b2c4d6e8f0a2c", PARENT, "Added Q4 2023 feedback data",
                    "ingest-bot", AT, 402, 2, 1, 0, 3, "4e1f2a9c", BRANCH, 2, 2);
            case DATASET_VALIDATED -> new DatasetValidatedEvent(id, AT, DATASET, SLUG, VERSION, CAUSE, "validation-service", 3,
                    "http://localhost:8081/reports/42", 12, drift, BRANCH,
                    "5e0c3a1d7f9b2e4a6c8e0a2c4e6a8c0e2a4c6e8f0a2c4e6f8a0b2c4d6e8f0a2c", 402L, 2);
            case DATASET_VALIDATION_FAILED -> new DatasetValidationFailedEvent(id, AT, DATASET, SLUG, VERSION, CAUSE,
                    "validation-service", 3, "http://localhost:8081/reports/43", 12, drift,
                    List.of(new FailedCheck("allowedValues", "sentiment", JsonNodeFactory.instance.textNode("angry"),
                            JsonNodeFactory.instance.arrayNode().add("positive").add("negative"), List.of("usr_125"))), BRANCH);
            case TRAINING_RUN_STARTED -> new TrainingRunStartedEvent(id, AT, DATASET, SLUG, VERSION, CAUSE, "training-orchestrator",
                    "run-17", SLUG, "builtin", BRANCH);
            case TRAINING_RUN_FAILED -> new TrainingRunFailedEvent(id, AT, DATASET, SLUG, VERSION, CAUSE, "training-orchestrator",
                    "run-17", SLUG, "process", "metrics.json missing after the command exited 0", BRANCH);
            case MODEL_REGISTERED -> new ModelRegisteredEvent(id, AT, DATASET, SLUG, VERSION, CAUSE, "training-orchestrator", "run-17",
                    SLUG, 4, metrics, 3, new ModelMetrics(0.84, 0.80, 0.45), "file:///var/dataline/artifacts/" + SLUG + "/4/model.bin",
                    PARENT, 3, BRANCH, "dataline-builtin/1");
            case MODEL_PROMOTED -> new ModelPromotedEvent(id, AT, DATASET, SLUG, VERSION, CAUSE, "deploy-service", SLUG, 4, 3,
                    "staging", false, gates, BRANCH);
            case MODEL_PROMOTION_REJECTED -> new ModelPromotionRejectedEvent(id, AT, DATASET, SLUG, VERSION, CAUSE, "deploy-service",
                    SLUG, 4, "staging", gates, "macroF1 regressed by 0.02 (maxRegression 0.01)", BRANCH);
            case MODEL_CANDIDATE_EVALUATED -> new ModelCandidateEvaluatedEvent(id, AT, DATASET, SLUG, VERSION, CAUSE, "deploy-service",
                    SLUG, 5, "staging", 4, false, gates, "macroF1 regressed by 0.02 (maxRegression 0.01)", BRANCH);
            case PULL_OPENED -> new PullOpenedEvent(id, AT, DATASET, SLUG, VERSION, null, "dataset-service", 7, BRANCH, "main",
                    "Relabel Q4 sentiment", "labelling-team", PARENT, BRANCH);
            case PULL_CHECKS_COMPLETED -> new PullChecksCompletedEvent(id, AT, DATASET, SLUG, VERSION, CAUSE, "dataset-service", 7, BRANCH,
                    "main", "failure", "rejected", "the candidate model failed its gates: macroF1 regressed by 0.02", BRANCH);
            case PULL_MERGED -> new PullMergedEvent(id, AT, DATASET, SLUG, VERSION, null, "dataset-service", 7, BRANCH, "main",
                    "reviewer-key", false, "main");
            case PULL_CLOSED -> new PullClosedEvent(id, AT, DATASET, SLUG, VERSION, null, "dataset-service", 7, BRANCH, "main",
                    "labelling-team", BRANCH);
        };
    }
}
