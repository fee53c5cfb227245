package io.dataline.dataset.webhooks;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.ModelCandidateEvaluatedEvent;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.PipelineEvent;
import io.dataline.events.PullChecksCompletedEvent;
import io.dataline.events.PullClosedEvent;
import io.dataline.events.PullMergedEvent;
import io.dataline.events.PullOpenedEvent;
import io.dataline.events.TrainingRunFailedEvent;
import java.util.Optional;

/**
 * The pipeline and pull request events a webhook can subscribe to: the name a registration uses, the event class on the topic, and
 * the {@code event_type} of a GitHub {@code repository_dispatch}.
 */
public enum WebhookEvent {
    COMMITTED("committed", DatasetCommittedEvent.class, "new_data_committed"),
    VALIDATED("validated", DatasetValidatedEvent.class, "data_validated"),
    VALIDATION_FAILED("validation-failed", DatasetValidationFailedEvent.class, "data_validation_failed"),
    RUN_FAILED("run-failed", TrainingRunFailedEvent.class, "training_run_failed"),
    REGISTERED("registered", ModelRegisteredEvent.class, "model_registered"),
    PROMOTED("promoted", ModelPromotedEvent.class, "model_promoted"),
    PROMOTION_REJECTED("promotion-rejected", ModelPromotionRejectedEvent.class, "model_promotion_rejected"),
    CANDIDATE_EVALUATED("candidate-evaluated", ModelCandidateEvaluatedEvent.class, "model_candidate_evaluated"),
    PULL_OPENED("pull-opened", PullOpenedEvent.class, "data_pull_opened"),
    PULL_CHECKS_COMPLETED("pull-checks-completed", PullChecksCompletedEvent.class, "data_pull_checks_completed"),
    PULL_MERGED("pull-merged", PullMergedEvent.class, "data_pull_merged"),
    PULL_CLOSED("pull-closed", PullClosedEvent.class, "data_pull_closed");

    private final String wireName;
    private final Class<? extends PipelineEvent> eventClass;
    private final String dispatchType;

    WebhookEvent(String wireName, Class<? extends PipelineEvent> eventClass, String dispatchType) {
        this.wireName = wireName;
        this.eventClass = eventClass;
        this.dispatchType = dispatchType;
    }

    public String wireName() {
        return wireName;
    }

    public String dispatchType() {
        return dispatchType;
    }

    public static Optional<WebhookEvent> parse(String wireName) {
        for (WebhookEvent event : values()) {
            if (event.wireName.equals(wireName)) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }

    /** The webhook event an event on a topic is, if any ({@code training.run-started} is none). */
    public static Optional<WebhookEvent> of(PipelineEvent event) {
        for (WebhookEvent candidate : values()) {
            if (candidate.eventClass.isInstance(event)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
