package io.dataline.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The contract table: each event type with its topic, Java record, SmallRye channel name and JSON Schema
 * (a classpath resource under {@code schemas/}). The single place that ties the four together.
 */
public enum EventType {
    DATASET_COMMITTED(Topics.DATASET_COMMITTED, DatasetCommittedEvent.class),
    DATASET_VALIDATED(Topics.DATASET_VALIDATED, DatasetValidatedEvent.class),
    DATASET_VALIDATION_FAILED(Topics.DATASET_VALIDATION_FAILED, DatasetValidationFailedEvent.class),
    TRAINING_RUN_STARTED(Topics.TRAINING_RUN_STARTED, TrainingRunStartedEvent.class),
    TRAINING_RUN_FAILED(Topics.TRAINING_RUN_FAILED, TrainingRunFailedEvent.class),
    MODEL_REGISTERED(Topics.MODEL_REGISTERED, ModelRegisteredEvent.class),
    MODEL_PROMOTED(Topics.MODEL_PROMOTED, ModelPromotedEvent.class),
    MODEL_PROMOTION_REJECTED(Topics.MODEL_PROMOTION_REJECTED, ModelPromotionRejectedEvent.class),
    MODEL_CANDIDATE_EVALUATED(Topics.MODEL_CANDIDATE_EVALUATED, ModelCandidateEvaluatedEvent.class),
    PULL_OPENED(Topics.PULL_OPENED, PullOpenedEvent.class),
    PULL_CHECKS_COMPLETED(Topics.PULL_CHECKS_COMPLETED, PullChecksCompletedEvent.class),
    PULL_MERGED(Topics.PULL_MERGED, PullMergedEvent.class),
    PULL_CLOSED(Topics.PULL_CLOSED, PullClosedEvent.class);

    /** Apicurio Registry group of every event schema; the artifact id is the topic name. */
    public static final String REGISTRY_GROUP = "dataline.events";

    private final String topic;
    private final Class<? extends PipelineEvent> eventClass;

    EventType(String topic, Class<? extends PipelineEvent> eventClass) {
        this.topic = topic;
        this.eventClass = eventClass;
    }

    public String topic() {
        return topic;
    }

    public Class<? extends PipelineEvent> eventClass() {
        return eventClass;
    }

    /** Channel name = the event in kebab case, e.g. {@code dataset-committed}. */
    public String channel() {
        return topic.replace('.', '-');
    }

    /** Classpath location of the JSON Schema, e.g. {@code schemas/dataset.committed.json}. */
    public String schemaResource() {
        return "schemas/" + topic + ".json";
    }

    public static Optional<EventType> forTopic(String topic) {
        return Arrays.stream(values()).filter(t -> t.topic.equals(topic)).findFirst();
    }

    public static Optional<EventType> forClass(Class<?> type) {
        return Arrays.stream(values()).filter(t -> t.eventClass.equals(type)).findFirst();
    }
}
