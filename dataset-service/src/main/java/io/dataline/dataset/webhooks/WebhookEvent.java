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
import io.dataline.events.WireNamed;
import java.util.Optional;

/**
 * The pipeline and pull request events a webhook can subscribe to: the name a registration uses, the event class on the topic, and
 * the {@code event_type} of a GitHub {@code repository_dispatch}.
 */
public enum WebhookEvent implements WireNamed {
    COMMITTED(DatasetCommittedEvent.class, "new_data_committed"),
    VALIDATED(DatasetValidatedEvent.class, "data_validated"),
    VALIDATION_FAILED(DatasetValidationFailedEvent.class, "data_validation_failed"),
    RUN_FAILED(TrainingRunFailedEvent.class, "training_run_failed"),
    REGISTERED(ModelRegisteredEvent.class, "model_registered"),
    PROMOTED(ModelPromotedEvent.class, "model_promoted"),
    PROMOTION_REJECTED(ModelPromotionRejectedEvent.class, "model_promotion_rejected"),
    CANDIDATE_EVALUATED(ModelCandidateEvaluatedEvent.class, "model_candidate_evaluated"),
    PULL_OPENED(PullOpenedEvent.class, "data_pull_opened"),
    PULL_CHECKS_COMPLETED(PullChecksCompletedEvent.class, "data_pull_checks_completed"),
    PULL_MERGED(PullMergedEvent.class, "data_pull_merged"),
    PULL_CLOSED(PullClosedEvent.class, "data_pull_closed");

    private final Class<? extends PipelineEvent> eventClass;
    private final String dispatchType;

    WebhookEvent(Class<? extends PipelineEvent> eventClass, String dispatchType) {
        this.eventClass = eventClass;
        this.dispatchType = dispatchType;
    }

    /** {@code committed}, {@code validation-failed}, {@code pull-checks-completed}, … */
    @Override
    public String wireName() {
        return kebab();
    }

    public String dispatchType() {
        return dispatchType;
    }

    public static Optional<WebhookEvent> parse(String wireName) {
        return WireNamed.parse(WebhookEvent.class, wireName);
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
