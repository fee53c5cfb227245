package io.dataline.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.Topics;
import io.dataline.events.outbox.Traceparents;
import io.dataline.models.InvalidSpecException;
import io.dataline.models.TrainingSpec;
import io.dataline.service.DatasetServiceClient;
import io.dataline.service.inbox.Inbox;
import io.dataline.service.messaging.EventHandler;
import io.dataline.training.RunState;
import io.dataline.training.TrainingRun;
import io.dataline.training.TrainingRunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Training runs as a persisted state machine, its first steps: a validated version (or {@code POST /runs}) queues a
 * run in the same transaction that records the event as processed (a spec that cannot run fails it at once with
 * {@code training.run-failed}); a worker claims it (RUNNING, {@code training.run-started}). {@link RunExecution} takes
 * it from there.
 */
@ApplicationScoped
public class RunService implements EventHandler<DatasetValidatedEvent> {

    @Inject
    DatasetServiceClient datasets;

    @Inject
    Inbox inbox;

    @Inject
    Trainers trainers;

    @Inject
    TrainingRunRepository runs;

    @Inject
    RunEvents events;

    @Inject
    Event<RunQueued> runQueued;

    @Inject
    VersionPrefetch prefetch;

    /**
     * {@code dataset.validated} (service-support's {@code PipelineConsumer}): queues the run a validated version asks
     * for, once per event and once per version and branch; nothing for a redelivery, a version that already has a run,
     * or a dataset without a training spec (its pipeline ends at validation). A spec that cannot run gives a FAILED run
     * and {@code training.run-failed} at once. The run executes on the workers, so the partition is never held up by
     * training. dataset-service or the database away: retried until they are back; an event naming a pipeline revision
     * that does not exist goes to {@code dataset.validated.training-orchestrator.dlq}.
     */
    @Override
    public void handle(DatasetValidatedEvent event) {
        // no separate check for a redelivery before this: what it reads is held (the pipeline revision), and inbox.once
        // below does nothing for an event already processed
        String traceparent = Traceparents.current();
        if (event.dataHash() != null && event.recordCount() != null && event.treeFormat() != null) {
            // what the run needs to read and check the version's records: the run need not ask dataset-service for its view
            datasets.announce(event.datasetSlug(), DatasetServiceClient.announcedVersion(event.dataVersion(), event.recordCount(),
                    event.dataHash(), event.treeFormat()));
        }
        JsonNode pipeline = datasets.pipelineRevision(event.datasetSlug(), event.pipelineRevision()).path("pipeline");
        Planned plan = plan(pipeline);
        // a run that can start reads its version while this transaction queues it and a worker claims it (VersionPrefetch)
        boolean readAhead = plan != null && plan.problem() == null && prefetch.begin(event.datasetSlug(), event.dataVersion(), event.recordCount());
        boolean queued = false;
        try {
            queued = inbox.once(event.eventId(), Topics.DATASET_VALIDATED, () -> {
                if (plan == null || runs.forValidatedVersion(event.datasetSlug(), event.dataVersion(), event.branchOrMain()).isPresent()) {
                    return null;
                }
                TrainingRun run = newRun(event.dataset(), event.datasetSlug(), event.dataVersion(), event.pipelineRevision(), plan);
                run.branch = event.branchOrMain();
                run.trigger = TrainingRun.TRIGGER_EVENT;
                run.causeEventId = event.eventId();
                run.traceparent = traceparent;
                queueOrFail(run, plan);
                return run;
            }).filter(run -> run.state == RunState.QUEUED).isPresent();
        } finally {
            if (readAhead && !queued) { // a redelivery, a version that has its run, or a failure: no run here will take it
                prefetch.discard(event.datasetSlug(), event.dataVersion());
            }
        }
    }

    /**
     * Re-trains a version on demand ({@code POST /runs}): always a new run, and on success a new model version, for the
     * branch the version was committed on (a candidate unless that is main).
     */
    public TrainingRun request(String dataset, String dataVersion, String requestedBy) {
        JsonNode datasetView = datasets.identity(dataset);
        String slug = datasetView.path("slug").asText();
        JsonNode version = datasets.version(slug, dataVersion);
        int revision = version.path("pipelineRevision").asInt();
        JsonNode pipeline = datasets.pipelineRevision(slug, revision).path("pipeline");
        Planned plan = plan(pipeline);
        if (plan == null) {
            throw new NoTrainingSpecException("pipeline revision " + revision + " of \"" + datasetView.path("name").asText() + "\" has no training spec");
        }
        if (plan.problem() != null) {
            throw plan.problem();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            TrainingRun run = newRun(datasetView.path("name").asText(), slug, version.path("hash").asText(dataVersion), revision, plan);
            run.trigger = TrainingRun.TRIGGER_MANUAL;
            run.branch = version.path("branch").asText(TrainingRun.MAIN);
            run.requestedBy = requestedBy;
            queueOrFail(run, plan);
            return run;
        });
    }

    /** A training section that can run (spec set), or one that cannot ({@code problem} set); {@code null}: none. */
    record Planned(TrainingSpec spec, JsonNode raw, InvalidSpecException problem) {
    }

    private Planned plan(JsonNode pipeline) {
        JsonNode raw = pipeline.get("training");
        if (raw == null || raw.isNull()) {
            return null;
        }
        try {
            TrainingSpec spec = TrainingSpec.parse(raw);
            trainers.forSpec(spec);
            return new Planned(spec, raw, null);
        } catch (InvalidSpecException e) {
            return new Planned(null, raw, e);
        }
    }

    private TrainingRun newRun(String dataset, String slug, String dataVersion, int revision, Planned plan) {
        TrainingRun run = new TrainingRun();
        run.id = UUID.randomUUID();
        run.createdAt = now();
        run.dataset = dataset;
        run.datasetSlug = slug;
        run.model = slug; // a dataset's model is named after it
        run.dataVersion = dataVersion;
        run.pipelineRevision = revision;
        run.trainer = plan.spec() != null ? plan.spec().trainer() : plan.raw().path("trainer").asText("builtin");
        run.template = plan.spec() != null ? plan.spec().template() : plan.raw().path("template").textValue();
        run.specJson = (plan.spec() != null ? plan.spec().toJson() : plan.raw()).toString();
        return run;
    }

    private void queueOrFail(TrainingRun run, Planned plan) {
        if (plan.problem() == null) {
            run.state = RunState.QUEUED;
            runs.persist(run);
            runQueued.fire(new RunQueued());
            return;
        }
        run.state = RunState.FAILED;
        run.reason = plan.problem().getMessage();
        run.finishedAt = run.createdAt;
        runs.persist(run);
        events.failed(run);
    }

    /** A run this worker claimed, with the upload token of its new attempt (the row keeps only its hash). */
    public record Claimed(TrainingRun run, String uploadToken) {
    }

    /**
     * Claims the oldest queued run for this worker (RUNNING, {@code training.run-started}, the attempt's upload token
     * issued in the same transaction); empty when none waits.
     */
    public Optional<Claimed> claim() {
        UploadTokens.Token token = UploadTokens.fresh();
        return QuarkusTransaction.requiringNew().call(() -> runs.claimNext(token.hash()).map(id -> {
            TrainingRun run = runs.findById(id); // this transaction's session is new: read after the claim's UPDATE
            events.started(run);
            return new Claimed(run, token.value());
        }));
    }

    private static Instant now() {
        return RunEvents.now();
    }
}
