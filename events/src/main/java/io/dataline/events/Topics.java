package io.dataline.events;

import java.util.List;

/**
 * Kafka topic names of the pipeline: one event type per topic, named {@code <domain>.<past-tense-kebab>}.
 * The Kafka key of every event is the dataset name, so one dataset's events stay ordered.
 */
public final class Topics {

    public static final String DATASET_COMMITTED = "dataset.committed";
    public static final String DATASET_VALIDATED = "dataset.validated";
    public static final String DATASET_VALIDATION_FAILED = "dataset.validation-failed";
    public static final String TRAINING_RUN_STARTED = "training.run-started";
    public static final String TRAINING_RUN_FAILED = "training.run-failed";
    public static final String MODEL_REGISTERED = "model.registered";
    public static final String MODEL_PROMOTED = "model.promoted";
    public static final String MODEL_PROMOTION_REJECTED = "model.promotion-rejected";
    public static final String MODEL_CANDIDATE_EVALUATED = "model.candidate-evaluated";
    public static final String PULL_OPENED = "pull.opened";
    public static final String PULL_CHECKS_COMPLETED = "pull.checks-completed";
    public static final String PULL_MERGED = "pull.merged";
    public static final String PULL_CLOSED = "pull.closed";

    /** Every pipeline topic, in pipeline order: what a version goes through (on main or on a branch). */
    public static final List<String> PIPELINE = List.of(DATASET_COMMITTED, DATASET_VALIDATED, DATASET_VALIDATION_FAILED,
            TRAINING_RUN_STARTED, TRAINING_RUN_FAILED, MODEL_REGISTERED, MODEL_PROMOTED, MODEL_PROMOTION_REJECTED,
            MODEL_CANDIDATE_EVALUATED);

    /** The life of a data pull request: opened, its checks completed, merged or closed. */
    public static final List<String> PULL = List.of(PULL_OPENED, PULL_CHECKS_COMPLETED, PULL_MERGED, PULL_CLOSED);

    /** Every topic with a contract: the pipeline's, then the pull requests'. */
    public static final List<String> ALL = java.util.stream.Stream.concat(PIPELINE.stream(), PULL.stream()).toList();

    /** Suffix of every dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }

    /**
     * The dead-letter topic of one consumer of one topic: {@code <topic>.<consumer>.dlq}, e.g.
     * {@code dataset.committed.validation-service.dlq}.
     */
    public static String deadLetter(String topic, String consumer) {
        return topic + "." + consumer + DLQ_SUFFIX;
    }
}
