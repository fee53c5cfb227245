package io.dataline.training.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.events.EventJson;
import io.dataline.models.BuiltinTrainer;
import io.dataline.models.InvalidSpecException;
import io.dataline.models.TrainingSpec;
import io.dataline.service.DatasetServiceClient;
import io.dataline.service.UnprocessableEventException;
import io.dataline.service.messaging.Failures;
import io.dataline.training.RunState;
import io.dataline.training.TrainingRun;
import io.dataline.training.TrainingRunRepository;
import io.dataline.training.artifact.ArtifactStore;
import io.dataline.training.config.TrainingConfig;
import io.dataline.training.trainer.RunLog;
import io.dataline.training.trainer.Trainer;
import io.dataline.training.trainer.TrainerOutput;
import io.dataline.training.trainer.TrainingFailedException;
import io.dataline.training.trainer.TrainingJob;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Executes a claimed run to its end: reads and splits the records, lets the back-end train, evaluates the candidate
 * and the staged baseline ({@link HeldOutEvaluation}), stores the artifact and registers the model
 * ({@link ModelRegistration}); or ends the run FAILED with the reason, or queues it again while attempts remain. A
 * heartbeat marks the attempt alive; runs whose orchestrator died are recovered. Every transition is conditional on
 * the run still being RUNNING in the claimed attempt, so a recovered run cannot be finished twice.
 */
@ApplicationScoped
public class RunExecution {

    private static final Logger LOG = Logger.getLogger(RunExecution.class);

    @Inject
    DatasetServiceClient datasets;

    @Inject
    Trainers trainers;

    @Inject
    TrainingRunRepository runs;

    @Inject
    ArtifactStore artifacts;

    @Inject
    HeldOutEvaluation evaluation;

    @Inject
    ModelRegistration registration;

    @Inject
    ModelEvaluator evaluator;

    @Inject
    RunEvents events;

    @Inject
    RecordsInMemory memory;

    @Inject
    VersionPrefetch prefetch;

    @Inject
    TrainingConfig config;

    @Inject
    Event<RunQueued> runQueued;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "training-run-heartbeat");
        t.setDaemon(true);
        return t;
    });
    /**
     * The attempts this instance is executing, by run: never taken for orphans, even when their heartbeat is late (a
     * long GC pause, a starved heartbeat thread). Recovering them would queue a live run again, or fail it on its last
     * attempt while it still trains.
     */
    private final java.util.Map<UUID, Integer> executing = new java.util.concurrent.ConcurrentHashMap<>();

    /** Executes a claimed run to its end (or back to the queue when it is interrupted or dataset-service is away). */
    public void execute(RunService.Claimed run) throws InterruptedException {
        TrainingRun claimed = run.run();
        UUID id = claimed.id;
        int attempt = claimed.attempts;
        Path runDir = UploadTokens.attemptDir(Path.of(config.runs().workDir()), id, attempt); // fresh per attempt: no stale outputs
        executing.put(id, attempt);
        try (RunLog log = new RunLog(runDir.resolve("run.log"))) {
            var beat = heartbeats.scheduleAtFixedRate(() -> beat(id, attempt, log), config.runs().heartbeat().toMillis(),
                    config.runs().heartbeat().toMillis(), TimeUnit.MILLISECONDS);
            try {
                log.line("attempt " + attempt + " of run " + id + " on " + claimed.datasetSlug + "@" + claimed.dataVersion);
                succeedThroughOutages(claimed, attempt, run.uploadToken(), log, runDir);
            } catch (TrainingFailedException | InvalidSpecException | UnprocessableEventException e) {
                log.line("failed: " + e.getMessage());
                fail(id, attempt, e.getMessage(), log);
            } catch (InterruptedException e) {
                log.line("interrupted: the orchestrator is stopping");
                retryOrFail(id, attempt, "the orchestrator stopped during attempt " + attempt, log);
                throw e;
            } catch (RuntimeException e) {
                LOG.errorf(e, "run %s failed unexpectedly", id);
                log.line("internal error: " + e);
                fail(id, attempt, "internal error: " + e.getMessage(), log);
            } finally {
                beat.cancel(false);
            }
        } finally {
            executing.remove(id);
        }
    }

    /**
     * Runs the attempt; a transient failure (dataset-service or the database away: {@link Failures}) is retried in
     * this attempt with back-off until it passes, heartbeat still beating, so an outage never fails a run or uses up
     * its attempts. A stop interrupts the wait, and the run is queued again as on any stop.
     */
    private void succeedThroughOutages(TrainingRun run, int attempt, String token, RunLog log, Path runDir)
            throws TrainingFailedException, InterruptedException {
        long delay = 500;
        while (true) {
            try {
                succeed(run, attempt, token, log, runDir);
                return;
            } catch (RuntimeException e) {
                if (Failures.classify(e) != Failures.Kind.TRANSIENT) {
                    throw e;
                }
                log.line("transient failure, retrying in " + delay + " ms: " + e.getMessage());
                Thread.sleep(delay);
                delay = Math.min(delay * 2, 10_000);
            }
        }
    }

    private void succeed(TrainingRun run, int attempt, String token, RunLog log, Path runDir) throws TrainingFailedException, InterruptedException {
        TrainingSpec spec = TrainingSpec.parse(spec(run));
        Trainer trainer = trainers.forSpec(spec);
        // the version goes to files in the attempt's directory as it streams in (or, a small one read while the run
        // waited, from memory): nothing of it is held in memory unless the built-in trainer or the evaluation asks for it
        // (within dataline.runs.max-records-in-memory)
        VersionData data = VersionData.load(datasets, prefetch, run.datasetSlug, run.dataVersion, spec, runDir.resolve("data"));
        try {
            train(run, attempt, token, log, runDir, spec, trainer, data);
        } finally {
            data.delete();
        }
    }

    private void train(TrainingRun run, int attempt, String token, RunLog log, Path runDir, TrainingSpec spec, Trainer trainer, VersionData data)
            throws TrainingFailedException, InterruptedException {
        long labelledHeldOut = data.labelledHeldOut();
        log.line("records: " + data.trainingCount() + " for training, " + data.heldOutCount() + " held out (" + labelledHeldOut + " labelled)"
                + (data.readAhead() ? "; read while the run was queued" : ""));
        if (labelledHeldOut == 0) {
            throw new TrainingFailedException("no held-out record has a label in \"" + spec.labelField() + "\" ("
                    + data.heldOutCount() + " held out of " + (data.trainingCount() + data.heldOutCount()) + "): add records or raise holdoutFraction");
        }
        String runUrl = config.publicUrl() + "/runs/" + run.id;
        TrainingJob job = new TrainingJob(run.id, attempt, run.dataset, run.datasetSlug, run.dataVersion, spec, data, config.runs().maxRecordsInMemory(),
                runDir, runUrl + "/inputs/train.ndjson", runUrl + "/outputs", token, log);
        ModelMeasurement.Where where = new ModelMeasurement.Where(run.id, attempt, runDir, runUrl + "/inputs", runUrl + "/outputs", token, log);
        HeldOutEvaluation.Result evaluated;
        TrainerOutput output;
        // what this run reads into memory (the built-in trainer's split, the held-out split), beside the other workers' runs
        long inMemory = data.heldOutCount() + (BuiltinTrainer.NAME.equals(trainer.name()) ? data.trainingCount() : 0);
        try (RecordsInMemory.Held held = memory.hold(inMemory)) {
            HeldOutEvaluation.Beside baseline = evaluation.beside(run, data, spec.labelField(), where); // measured while the trainer works
            try {
                output = kept(trainer.train(job), runDir);
                evaluated = evaluation.evaluate(run, job, trainer, output, where, baseline);
            } finally {
                baseline.settle(); // it reads the held-out file, which goes when the attempt ends
            }
        }
        ArtifactStore.Stored stored;
        try {
            stored = artifacts.store(run.model, run.id, output.artifact());
        } catch (IOException e) {
            throw new TrainingFailedException("storing the artifact failed: " + e.getMessage(), e);
        }
        Optional<Integer> version = registration.register(run.id, attempt,
                new ModelRegistration.Trained(spec, data, (int) labelledHeldOut, evaluated, stored, output.format()), log);
        if (version.isEmpty()) {
            log.line("the run was taken over while this attempt trained; its result is discarded");
        } else if (output.model().isPresent()) {
            evaluator.remember(stored.path(), output.model().get()); // the next run's staged baseline, once promoted: not parsed again
        }
    }

    /**
     * The trained model moved out of the uploads' reach before it is measured: what is measured is what is stored (a
     * predict Job holds the run's token and could otherwise replace the model after its measurement).
     */
    private static TrainerOutput kept(TrainerOutput output, Path runDir) throws TrainingFailedException {
        Path kept = runDir.resolve("trained").resolve(output.artifact().getFileName());
        try {
            java.nio.file.Files.createDirectories(kept.getParent());
            java.nio.file.Files.move(output.artifact(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TrainingFailedException("keeping the trained model failed: " + e.getMessage(), e);
        }
        return new TrainerOutput(kept, output.format(), output.model());
    }

    private static JsonNode spec(TrainingRun run) {
        try {
            return EventJson.mapper().readTree(run.specJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + run.id + " holds an unreadable spec", e);
        }
    }

    /** Ends the run FAILED with {@code training.run-failed}, if it is still this attempt's. */
    void fail(UUID id, int attempt, String reason, RunLog log) {
        ifStillRunning(id, attempt, run -> failNow(run, reason, log == null ? run.logsTail : log.tail()));
    }

    /** In a transaction of its own: {@code end} on the run, unless it has moved on from this attempt meanwhile. */
    private void ifStillRunning(UUID id, int attempt, java.util.function.Consumer<TrainingRun> end) {
        QuarkusTransaction.requiringNew().run(() -> {
            TrainingRun run = runs.findById(id);
            if (run != null && run.state == RunState.RUNNING && run.attempts == attempt) {
                end.accept(run);
            }
        });
    }

    private void failNow(TrainingRun run, String reason, String logsTail) {
        run.state = RunState.FAILED;
        run.reason = reason;
        run.finishedAt = RunEvents.now();
        run.logsTail = logsTail;
        events.failed(run);
    }

    /** Queues the run again while attempts remain, else fails it with the reason. */
    void retryOrFail(UUID id, int attempt, String reason, RunLog log) {
        ifStillRunning(id, attempt, run -> requeueOrFail(run, reason, log == null ? run.logsTail : log.tail()));
    }

    private void requeueOrFail(TrainingRun run, String reason, String logsTail) {
        if (run.attempts < config.runs().maxAttempts()) {
            run.state = RunState.QUEUED;
            run.reason = reason + "; queued again (attempt " + run.attempts + " of " + config.runs().maxAttempts() + ")";
            run.logsTail = logsTail;
            runQueued.fire(new RunQueued());
        } else {
            failNow(run, reason + " (after " + run.attempts + " attempts)", logsTail);
        }
    }

    /**
     * Runs whose orchestrator died (heartbeat too old) go back to the queue, or fail after the last attempt; an attempt
     * this instance is still executing is left alone however late its heartbeat.
     */
    public int recoverOrphans() {
        Instant before = Instant.now().minus(config.runs().staleAfter());
        return QuarkusTransaction.requiringNew().call(() -> {
            int recovered = 0;
            for (TrainingRun run : runs.orphaned(before)) {
                if (Integer.valueOf(run.attempts).equals(executing.get(run.id))) {
                    LOG.warnf("run %s (attempt %d): its heartbeat is older than dataline.runs.stale-after, but this instance is executing it",
                            run.id, run.attempts);
                    continue;
                }
                LOG.warnf("run %s (attempt %d) lost its orchestrator; recovering", run.id, run.attempts);
                requeueOrFail(run, "the orchestrator stopped during attempt " + run.attempts, run.logsTail);
                recovered++;
            }
            return recovered;
        });
    }

    private void beat(UUID id, int attempt, RunLog log) {
        try {
            QuarkusTransaction.requiringNew().run(() -> runs.update("heartbeatAt = ?1, logsTail = ?2 where id = ?3 and state = ?4 and attempts = ?5",
                    Instant.now(), log.tail(), id, RunState.RUNNING, attempt));
        } catch (RuntimeException e) {
            LOG.debugf("heartbeat of run %s failed: %s", id, e.getMessage());
        }
    }
}
