package io.dataline.training.service;

import io.dataline.events.ModelPromotedEvent;
import io.dataline.service.messaging.EventHandler;
import io.dataline.training.StagedModel;
import io.dataline.training.StagedModelRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Keeps {@code staged_model} in step with {@code model.promoted} (service-support's {@code PipelineConsumer}): the
 * newest promotion of a model wins, so it is the baseline new candidates are evaluated against. Idempotent by nature;
 * a database outage is retried, so the baseline never goes stale for want of a retry.
 */
@ApplicationScoped
public class StagingFollower implements EventHandler<ModelPromotedEvent> {

    @Inject
    StagedModelRepository staged;

    @Override
    @Transactional
    public void handle(ModelPromotedEvent event) {
        if (!"staging".equals(event.stage())) {
            return;
        }
        StagedModel current = staged.findById(event.model());
        if (current == null) {
            current = new StagedModel();
            current.model = event.model();
            current.version = event.modelVersion();
            current.since = event.occurredAt();
            current.eventId = event.eventId();
            staged.persist(current);
        } else if (!event.occurredAt().isBefore(current.since)) {
            current.version = event.modelVersion();
            current.since = event.occurredAt();
            current.eventId = event.eventId();
        }
    }
}
