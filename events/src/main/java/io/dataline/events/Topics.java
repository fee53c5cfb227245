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

    /** Every pipeline topic, in pipeline order. */
    public static final List<String> ALL = List.of(DATASET_COMMITTED, DATASET_VALIDATED, DATASET_VALIDATION_FAILED,
            TRAINING_RUN_STARTED, TRAINING_RUN_FAILED, MODEL_REGISTERED, MODEL_PROMOTED, MODEL_PROMOTION_REJECTED);

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
