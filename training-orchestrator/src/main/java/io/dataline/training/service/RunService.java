package io.dataline.training.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.ModelMetrics;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.PipelineEvent;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.events.TrainingRunStartedEvent;
import io.dataline.events.Topics;
import io.dataline.models.Evaluation;
import io.dataline.models.InvalidSpecException;
import io.dataline.models.Labels;
import io.dataline.models.Metrics;
import io.dataline.models.TrainingSpec;
import io.dataline.service.DatasetServiceUnavailableException;
import io.dataline.service.JdbcOutbox;
import io.dataline.service.UnprocessableEventException;
import io.dataline.training.ModelVersion;
import io.dataline.training.ModelVersionRepository;
import io.dataline.training.OutboxEvent;
import io.dataline.training.OutboxEventRepository;
import io.dataline.training.ProcessedEvent;
import io.dataline.training.ProcessedEventRepository;
import io.dataline.training.RunState;
import io.dataline.training.StagedModelRepository;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Training runs as a persisted state machine. A validated version (or {@code POST /runs}) queues a run in the same
 * transaction that records the event as processed; a worker claims it (RUNNING, {@code training.run-started}), reads
 * and splits the records, lets the back-end train, evaluates the candidate and the staged baseline on the same held-out
 * records, stores the artifact, and in one transaction registers the next model version, ends the run and writes
 * {@code model.registered} to the outbox; or ends it FAILED with {@code training.run-failed} and the reason. Every
 * transition is conditional on the run still being RUNNING in the claimed attempt, so a run recovered from a dead
 * orchestrator cannot be finished twice.
 */
@ApplicationScoped
public class RunService {

    static final String PRODUCER = "training-orchestrator";
    private static final Logger LOG = Logger.getLogger(RunService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatasetClient datasets;
    private final Trainers trainers;
    private final TrainingRunRepository runs;
    private final ModelVersionRepository models;
    private final StagedModelRepository staged;
    private final ProcessedEventRepository processed;
    private final OutboxEventRepository outbox;
    private final ArtifactStore artifacts;
    private final ModelEvaluator evaluator;
    private final TrainingConfig config;
    private final ObjectMapper mapper;
    private final Event<RunQueued> runQueued;
    private final Event<OutboxWritten> outboxWritten;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "training-run-heartbeat");
        t.setDaemon(true);
        return t;
    });

    RunService(DatasetClient datasets, Trainers trainers, TrainingRunRepository runs, ModelVersionRepository models, StagedModelRepository staged,
            ProcessedEventRepository processed, OutboxEventRepository outbox, ArtifactStore artifacts, ModelEvaluator evaluator,
            TrainingConfig config, ObjectMapper mapper, Event<RunQueued> runQueued, Event<OutboxWritten> outboxWritten) {
        this.datasets = datasets;
        this.trainers = trainers;
        this.runs = runs;
        this.models = models;
        this.staged = staged;
        this.processed = processed;
        this.outbox = outbox;
        this.artifacts = artifacts;
        this.evaluator = evaluator;
        this.config = config;
        this.mapper = mapper;
        this.runQueued = runQueued;
        this.outboxWritten = outboxWritten;
    }

    /**
     * Queues the run a validated version asks for, once per event and once per version; empty for a redelivery, a
     * version that already has a run, or a dataset without a training spec (its pipeline ends at validation). A spec
     * that cannot run gives a FAILED run and {@code training.run-failed} at once.
     */
    public Optional<TrainingRun> onValidated(DatasetValidatedEvent event, String traceparent) {
        if (QuarkusTransaction.requiringNew().call(() -> processed.findByIdOptional(event.eventId()).isPresent())) {
            return Optional.empty();
        }
        JsonNode pipeline = datasets.pipelineRevision(event.datasetSlug(), event.pipelineRevision()).path("pipeline");
        Planned plan = plan(pipeline);
        return QuarkusTransaction.requiringNew().call(() -> {
            if (processed.findByIdOptional(event.eventId()).isPresent()) {
                return Optional.<TrainingRun>empty();
            }
            ProcessedEvent done = new ProcessedEvent();
            done.eventId = event.eventId();
            done.topic = Topics.DATASET_VALIDATED;
            done.processedAt = Instant.now();
            processed.persist(done);
            if (plan == null || runs.forValidatedVersion(event.datasetSlug(), event.dataVersion()).isPresent()) {
                return Optional.<TrainingRun>empty();
            }
            TrainingRun run = newRun(event.dataset(), event.datasetSlug(), event.dataVersion(), event.pipelineRevision(), plan);
            run.trigger = TrainingRun.TRIGGER_EVENT;
            run.causeEventId = event.eventId();
            run.traceparent = traceparent;
            queueOrFail(run, plan);
            return Optional.of(run);
        });
    }

    /** Re-trains a version on demand ({@code POST /runs}): always a new run, and on success a new model version. */
    public TrainingRun request(String dataset, String dataVersion, String requestedBy) {
        JsonNode datasetView = datasets.dataset(dataset);
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
        run.dataset = dataset;
        run.datasetSlug = slug;
        run.dataVersion = dataVersion;
        run.pipelineRevision = revision;
        run.model = slug;
        run.trainer = plan.spec() != null ? plan.spec().trainer() : plan.raw().path("trainer").asText("builtin");
        run.template = plan.spec() != null ? plan.spec().template() : plan.raw().path("template").textValue();
        run.specJson = (plan.spec() != null ? plan.spec().toJson() : plan.raw()).toString();
        run.createdAt = now();
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
        write(new TrainingRunFailedEvent(UUID.randomUUID(), now(), run.dataset, run.datasetSlug, run.dataVersion, run.causeEventId, PRODUCER,
                run.id.toString(), run.model, run.trainer, run.reason), run);
    }

    /** Claims the oldest queued run for this worker (RUNNING, {@code training.run-started}); empty when none waits. */
    public Optional<TrainingRun> claim() {
        return QuarkusTransaction.requiringNew().call(() -> runs.claimNext().map(id -> {
            TrainingRun run = runs.findById(id);
            runs.getEntityManager().refresh(run);
            write(new TrainingRunStartedEvent(UUID.randomUUID(), now(), run.dataset, run.datasetSlug, run.dataVersion, run.causeEventId, PRODUCER,
                    run.id.toString(), run.model, run.trainer), run);
            return run;
        }));
    }

    /** Executes a claimed run to its end (or back to the queue when it is interrupted or dataset-service is away). */
    public void execute(TrainingRun claimed) throws InterruptedException {
        UUID id = claimed.id;
        int attempt = claimed.attempts;
        Path runDir = Path.of(config.runs().workDir()).toAbsolutePath().resolve(id.toString());
        try (RunLog log = new RunLog(runDir.resolve("run.log"))) {
            var beat = heartbeats.scheduleAtFixedRate(() -> beat(id, attempt, log), config.runs().heartbeat().toMillis(),
                    config.runs().heartbeat().toMillis(), TimeUnit.MILLISECONDS);
            try {
                log.line("attempt " + attempt + " of run " + id + " on " + claimed.datasetSlug + "@" + claimed.dataVersion);
                succeed(claimed, attempt, log, runDir);
            } catch (TrainingFailedException | InvalidSpecException | UnprocessableEventException e) {
                log.line("failed: " + e.getMessage());
                fail(id, attempt, e.getMessage(), log);
            } catch (DatasetServiceUnavailableException e) {
                log.line("dataset-service unavailable: " + e.getMessage());
                retryOrFail(id, attempt, "dataset-service unavailable: " + e.getMessage(), log);
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
        }
    }

    private void succeed(TrainingRun run, int attempt, RunLog log, Path runDir) throws TrainingFailedException, InterruptedException {
        TrainingSpec spec = TrainingSpec.parse(read(run.specJson));
        Trainer trainer = trainers.forSpec(spec);
        VersionData data = VersionData.load(datasets, run.datasetSlug, run.dataVersion, spec);
        long labelledHeldOut = data.heldOut().stream().filter(r -> Labels.of(r, spec.labelField()) != null).count();
        log.line("records: " + data.training().size() + " for training, " + data.heldOut().size() + " held out (" + labelledHeldOut + " labelled)");
        if (labelledHeldOut == 0) {
            throw new TrainingFailedException("no held-out record has a label in \"" + spec.labelField() + "\" ("
                    + data.heldOut().size() + " held out of " + (data.training().size() + data.heldOut().size()) + "): add records or raise holdoutFraction");
        }
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        QuarkusTransaction.requiringNew().run(() -> runs.update("uploadTokenHash = ?1 where id = ?2", sha256(token), run.id));
        TrainingJob job = new TrainingJob(run.id, run.dataset, run.datasetSlug, run.dataVersion, spec, data.training(), data.heldOut(), runDir,
                datasets.recordsUrl(run.datasetSlug, run.dataVersion), config.publicUrl() + "/runs/" + run.id + "/outputs", token, log);
        TrainerOutput output = trainer.train(job);

        Metrics metrics;
        ArrayNode sample = mapper.createArrayNode();
        if (output.model().isPresent()) {
            Evaluation evaluation = Evaluation.of(output.model().get(), data.heldOut(), spec.labelField());
            metrics = evaluation.metrics();
            for (int i = 0; i < evaluation.records().size() && i < config.runs().sampleSize(); i++) {
                var entry = sample.addObject();
                entry.set("record", evaluation.records().get(i));
                entry.put("label", evaluation.truth().get(i));
                entry.put("predicted", evaluation.predictions().get(i).label());
                entry.set("scores", mapper.valueToTree(evaluation.predictions().get(i).scores()));
            }
        } else {
            metrics = output.reportedMetrics().orElseThrow(() -> new TrainingFailedException("the trainer reported no metrics"));
            data.heldOut().stream().filter(r -> Labels.of(r, spec.labelField()) != null).limit(config.runs().sampleSize()).forEach(r -> {
                var entry = sample.addObject();
                entry.set("record", r);
                entry.put("label", Labels.of(r, spec.labelField()));
                entry.putNull("predicted");
                entry.putNull("scores");
            });
        }
        log.line("held-out metrics: accuracy " + metrics.accuracy() + ", macroF1 " + metrics.macroF1() + ", logLoss " + metrics.logLoss());

        Integer baselineVersion = null;
        Metrics baselineMetrics = null;
        Optional<ModelVersion> baseline = QuarkusTransaction.requiringNew().call(() -> staged.findByIdOptional(run.model)
                .flatMap(s -> models.find(s.model, s.version)));
        if (baseline.isPresent()) {
            baselineVersion = baseline.get().version;
            Optional<Evaluation> evaluated = evaluator.evaluate(baseline.get(), data.heldOut(), spec.labelField());
            baselineMetrics = evaluated.map(Evaluation::metrics).orElse(null);
            log.line(evaluated.isPresent() ? "staged baseline v" + baselineVersion + " on the same held-out records: accuracy " + baselineMetrics.accuracy()
                    : "staged baseline v" + baselineVersion + " was trained by " + baseline.get().trainer + " and cannot be re-evaluated here");
        }

        ArtifactStore.Stored stored;
        try {
            stored = artifacts.store(run.model, run.id, output.artifact());
        } catch (IOException e) {
            throw new TrainingFailedException("storing the artifact failed: " + e.getMessage(), e);
        }
        Integer finalBaselineVersion = baselineVersion;
        Metrics finalBaselineMetrics = baselineMetrics;
        Optional<Integer> version = QuarkusTransaction.requiringNew().call(() -> {
            TrainingRun current = runs.findById(run.id);
            if (current == null || current.state != RunState.RUNNING || current.attempts != attempt) {
                return Optional.<Integer>empty();
            }
            models.lockModel(run.model);
            ModelVersion registered = new ModelVersion();
            registered.model = run.model;
            registered.version = models.nextVersion(run.model);
            registered.dataset = run.dataset;
            registered.datasetSlug = run.datasetSlug;
            registered.dataVersion = run.dataVersion;
            registered.dataHash = data.dataHash();
            registered.pipelineRevision = run.pipelineRevision;
            registered.codeCommit = config.codeCommit();
            registered.trainer = spec.trainer();
            registered.template = spec.template();
            registered.specJson = spec.toJson().toString();
            registered.metricsJson = metrics.toJson().toString();
            registered.baselineVersion = finalBaselineVersion;
            registered.baselineMetricsJson = finalBaselineMetrics == null ? null : finalBaselineMetrics.toJson().toString();
            registered.artifactUri = config.publicUrl() + "/models/" + run.model + "/versions/" + registered.version + "/artifact";
            registered.artifactSha256 = stored.sha256();
            registered.artifactSize = stored.size();
            registered.artifactFormat = output.format();
            registered.artifactPath = stored.path();
            registered.trainRecords = data.training().size();
            registered.heldOutRecords = (int) labelledHeldOut;
            registered.heldOutSampleJson = sample.toString();
            registered.runId = run.id;
            registered.createdAt = now();
            models.persist(registered);
            current.state = RunState.SUCCEEDED;
            current.modelVersion = registered.version;
            current.finishedAt = registered.createdAt;
            log.line("registered " + run.model + " v" + registered.version);
            current.logsTail = log.tail();
            write(new ModelRegisteredEvent(UUID.randomUUID(), registered.createdAt, run.dataset, run.datasetSlug, run.dataVersion, run.causeEventId,
                    PRODUCER, run.id.toString(), run.model, registered.version, summary(metrics), finalBaselineVersion,
                    finalBaselineMetrics == null ? null : summary(finalBaselineMetrics), registered.artifactUri, registered.artifactSha256,
                    run.pipelineRevision), current);
            return Optional.of(registered.version);
        });
        if (version.isEmpty()) {
            log.line("the run was taken over while this attempt trained; its result is discarded");
        }
    }

    /** Ends the run FAILED with {@code training.run-failed}, if it is still this attempt's. */
    void fail(UUID id, int attempt, String reason, RunLog log) {
        QuarkusTransaction.requiringNew().run(() -> {
            TrainingRun run = runs.findById(id);
            if (run == null || run.state != RunState.RUNNING || run.attempts != attempt) {
                return;
            }
            failNow(run, reason, log == null ? run.logsTail : log.tail());
        });
    }

    private void failNow(TrainingRun run, String reason, String logsTail) {
        run.state = RunState.FAILED;
        run.reason = reason;
        run.finishedAt = now();
        run.logsTail = logsTail;
        write(new TrainingRunFailedEvent(UUID.randomUUID(), run.finishedAt, run.dataset, run.datasetSlug, run.dataVersion, run.causeEventId, PRODUCER,
                run.id.toString(), run.model, run.trainer, reason), run);
    }

    /** Queues the run again while attempts remain, else fails it with the reason. */
    void retryOrFail(UUID id, int attempt, String reason, RunLog log) {
        QuarkusTransaction.requiringNew().run(() -> {
            TrainingRun run = runs.findById(id);
            if (run == null || run.state != RunState.RUNNING || run.attempts != attempt) {
                return;
            }
            requeueOrFail(run, reason, log == null ? run.logsTail : log.tail());
        });
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

    /** Runs whose orchestrator died (heartbeat too old) go back to the queue, or fail after the last attempt. */
    public int recoverOrphans() {
        Instant before = Instant.now().minus(config.runs().staleAfter());
        return QuarkusTransaction.requiringNew().call(() -> {
            List<TrainingRun> orphans = runs.orphaned(before);
            for (TrainingRun run : orphans) {
                LOG.warnf("run %s (attempt %d) lost its orchestrator; recovering", run.id, run.attempts);
                requeueOrFail(run, "the orchestrator stopped during attempt " + run.attempts, run.logsTail);
            }
            return orphans.size();
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

    /** Checks a token a remote trainer presents for a run's uploads (only while the run is RUNNING). */
    public boolean acceptsUpload(UUID runId, String token) {
        return QuarkusTransaction.requiringNew().call(() -> runs.findByIdOptional(runId)
                .filter(r -> r.state == RunState.RUNNING && r.uploadTokenHash != null)
                .map(r -> MessageDigest.isEqual(r.uploadTokenHash.getBytes(StandardCharsets.US_ASCII), sha256(token).getBytes(StandardCharsets.US_ASCII)))
                .orElse(false));
    }

    public Path outputDir(UUID runId) {
        return Path.of(config.runs().workDir()).toAbsolutePath().resolve(runId.toString()).resolve("out");
    }

    static ModelMetrics summary(Metrics metrics) {
        return new ModelMetrics(metrics.accuracy(), metrics.macroF1(), metrics.logLoss());
    }

    private void write(PipelineEvent event, TrainingRun run) {
        JdbcOutbox.Serialized serialized = JdbcOutbox.serialize(event);
        OutboxEvent row = new OutboxEvent();
        row.eventId = serialized.eventId();
        row.topic = serialized.topic();
        row.recordKey = event.dataset();
        row.payload = serialized.payload();
        row.traceparent = run.traceparent;
        row.createdAt = event.occurredAt();
        outbox.persist(row);
        outboxWritten.fire(new OutboxWritten());
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
