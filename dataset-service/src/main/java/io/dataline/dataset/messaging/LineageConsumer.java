package io.dataline.dataset.messaging;

import io.dataline.dataset.service.LineageService;
import io.dataline.events.PipelineEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Projects every pipeline topic into the lineage view (one channel per topic, each with its own dead-letter topic
 * {@code <topic>.dataset-service.dlq}); redeliveries are no-ops.
 */
@ApplicationScoped
public class LineageConsumer {

    @Inject
    LineageService lineage;

    @Incoming("lineage-dataset-committed")
    @Incoming("lineage-dataset-validated")
    @Incoming("lineage-dataset-validation-failed")
    @Incoming("lineage-training-run-started")
    @Incoming("lineage-training-run-failed")
    @Incoming("lineage-model-registered")
    @Incoming("lineage-model-promoted")
    @Incoming("lineage-model-promotion-rejected")
    @Blocking
    public void project(PipelineEvent event) {
        lineage.record(event);
    }
}
