package io.dataline.training.service;

import io.dataline.events.PipelineEvent;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.events.TrainingRunStartedEvent;
import io.dataline.service.outbox.OutboxWriter;
import io.dataline.training.TrainingRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The events of a run's life, written to the outbox in the transaction that changes the run, in the run's trace. */
@ApplicationScoped
public class RunEvents {

    static final String PRODUCER = "training-orchestrator";

    @Inject
    OutboxWriter outbox;

    void started(TrainingRun run) {
        write(new TrainingRunStartedEvent(UUID.randomUUID(), now(), run.dataset, run.datasetSlug, run.dataVersion, run.causeEventId, PRODUCER,
                run.id.toString(), run.model, run.trainer, run.branch), run);
    }

    void failed(TrainingRun run) {
        write(new TrainingRunFailedEvent(UUID.randomUUID(), run.finishedAt, run.dataset, run.datasetSlug, run.dataVersion, run.causeEventId,
                PRODUCER, run.id.toString(), run.model, run.trainer, run.reason, run.branch), run);
    }

    void write(PipelineEvent event, TrainingRun run) {
        outbox.write(event, run.traceparent);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
