package io.dataline.deploy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.deploy.Candidate;
import io.dataline.deploy.CandidateRepository;
import io.dataline.deploy.ModelStage;
import io.dataline.deploy.ModelStageRepository;
import io.dataline.deploy.OutboxEvent;
import io.dataline.deploy.OutboxEventRepository;
import io.dataline.deploy.ProcessedEvent;
import io.dataline.deploy.ProcessedEventRepository;
import io.dataline.deploy.Promotion;
import io.dataline.deploy.PromotionRepository;
import io.dataline.deploy.promotion.GateEvaluator;
import io.dataline.deploy.promotion.PromotionPolicy;
import io.dataline.deploy.serving.ArtifactPreparer;
import io.dataline.deploy.serving.KubernetesDeployer;
import io.dataline.deploy.serving.Prepared;
import io.dataline.deploy.serving.PromotionRefusedException;
import io.dataline.deploy.serving.ServedModels;
import io.dataline.events.GateResult;
import io.dataline.events.ModelMetrics;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.service.JdbcOutbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Promotion to {@code staging}. For a registered version: read the pinned policy, find the metrics to compare (the
 * baseline evaluated with the candidate, or, if staging moved since, a fresh comparison by training-orchestrator),
 * apply the gates, and if they pass, get the artifact ready (checksum, load, smoke check, Kubernetes rollout); then in
 * one transaction record the event as processed, move the alias, append the audit row and write {@code model.promoted},
 * or write {@code model.promotion-rejected} naming every failed gate or the deployment failure. Only then does the
 * served model change. Moves by hand (promote, rollback) go through the same steps and the same per-model lock.
 */
@ApplicationScoped
public class PromotionService {

    static final String PRODUCER = "deploy-service";
    private static final Logger LOG = Logger.getLogger(PromotionService.class);

    private final DatasetClient datasets;
    private final RegistryClient registry;
    private final CandidateRepository candidates;
    private final ModelStageRepository stages;
    private final PromotionRepository promotions;
    private final ProcessedEventRepository processed;
    private final OutboxEventRepository outbox;
    private final ArtifactPreparer preparer;
    private final KubernetesDeployer kubernetes;
    private final ServedModels served;
    private final ObjectMapper mapper;
    private final Event<OutboxWritten> outboxWritten;

    PromotionService(DatasetClient datasets, RegistryClient registry, CandidateRepository candidates, ModelStageRepository stages,
            PromotionRepository promotions, ProcessedEventRepository processed, OutboxEventRepository outbox, ArtifactPreparer preparer,
            KubernetesDeployer kubernetes, ServedModels served, ObjectMapper mapper, Event<OutboxWritten> outboxWritten) {
        this.datasets = datasets;
        this.registry = registry;
        this.candidates = candidates;
        this.stages = stages;
        this.promotions = promotions;
        this.processed = processed;
        this.outbox = outbox;
        this.preparer = preparer;
        this.kubernetes = kubernetes;
        this.served = served;
        this.mapper = mapper;
        this.outboxWritten = outboxWritten;
    }

    /** What happened to a candidate: promoted (with the audit row) or rejected (with the reason); gates either way. */
    public record Outcome(boolean promoted, Candidate candidate, List<GateResult> gates, String reason, Promotion audit) {
    }

    /** Decides about a registered version once per event; empty for a redelivery. */
    public Optional<Outcome> onRegistered(ModelRegisteredEvent event, String traceparent) {
        if (QuarkusTransaction.requiringNew().call(() -> processed.findByIdOptional(event.eventId()).isPresent())) {
            return Optional.empty();
        }
        Candidate candidate = QuarkusTransaction.requiringNew().call(() -> candidates.find(event.model(), event.modelVersion())
                .orElseGet(() -> {
                    Candidate c = candidate(event);
                    candidates.persist(c);
                    return c;
                }));
        JsonNode pipeline = datasets.pipelineRevision(event.datasetSlug(), event.pipelineRevision()).path("pipeline");
        List<String[]> problems = new ArrayList<>();
        PromotionPolicy policy = PromotionPolicy.parse(pipeline.get("promotion"), problems);
        Optional<ModelStage> staging = QuarkusTransaction.requiringNew().call(() -> stages.staging(event.model()));
        if (staging.isPresent() && staging.get().version == event.modelVersion()) {
            return Optional.of(finish(event.eventId(), () -> new Outcome(true, candidate, List.of(), "already in staging", null)));
        }
        GateEvaluator.Decision decision;
        if (!problems.isEmpty()) {
            decision = new GateEvaluator.Decision(false, List.of(), "the promotion policy of pipeline revision " + event.pipelineRevision()
                    + " is invalid: " + String.join("; ", problems.stream().map(p -> p[0] + " " + p[1]).toList()));
        } else {
            Metrics metrics = metricsFor(candidate, event.metrics(), event.baselineVersion(), event.baselineMetrics(), staging);
            decision = GateEvaluator.decide(policy, metrics.candidate(), metrics.staging());
        }
        Prepared prepared = null;
        String reason = decision.reason();
        if (decision.promote()) {
            try {
                prepared = deploy(candidate, true);
            } catch (PromotionRefusedException e) {
                reason = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while deploying", e);
            }
        }
        Prepared ready = prepared;
        String finalReason = reason;
        Outcome outcome = finish(event.eventId(), () -> {
            Candidate row = candidates.find(event.model(), event.modelVersion()).orElseThrow();
            if (ready == null) {
                return reject(row, decision.gates(), finalReason, event.eventId(), traceparent);
            }
            return move(row, ready, decision.gates(), event.eventId().toString(), false, false, event.eventId(), traceparent);
        });
        if (outcome.promoted() && ready != null) {
            served.swap(ready);
        }
        return Optional.of(outcome);
    }

    /** Promotes a registered version by hand; the gates are evaluated and shown, and refused unless {@code force}. */
    public Outcome promoteByHand(String model, int version, boolean force, String who) throws PromotionRefusedException, InterruptedException {
        Candidate candidate = QuarkusTransaction.requiringNew().call(() -> candidates.find(model, version))
                .orElseThrow(() -> new io.dataline.service.UnprocessableEventException("no registered version " + version + " of model \"" + model + "\""));
        Optional<ModelStage> staging = QuarkusTransaction.requiringNew().call(() -> stages.staging(model));
        if (staging.isPresent() && staging.get().version == version) {
            throw new PromotionRefusedException(model + " v" + version + " is already in staging");
        }
        List<String[]> problems = new ArrayList<>();
        PromotionPolicy policy = PromotionPolicy.parse(datasets.pipelineRevision(candidate.datasetSlug, candidate.pipelineRevision)
                .path("pipeline").get("promotion"), problems);
        GateEvaluator.Decision decision;
        if (problems.isEmpty()) {
            Metrics metrics = metricsFor(candidate, summary(candidate.metricsJson), candidate.baselineVersion,
                    candidate.baselineMetricsJson == null ? null : summary(candidate.baselineMetricsJson), staging);
            decision = GateEvaluator.decide(policy, metrics.candidate(), metrics.staging());
        } else {
            decision = new GateEvaluator.Decision(false, List.of(), "the promotion policy is invalid: "
                    + String.join("; ", problems.stream().map(p -> p[0] + " " + p[1]).toList()));
        }
        if (!decision.promote() && !force) {
            return new Outcome(false, candidate, decision.gates(), decision.reason(), null);
        }
        Prepared ready = deploy(candidate, true);
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            stages.lock(model);
            return move(candidates.find(model, version).orElseThrow(), ready, decision.gates(), who, false, !decision.promote(), null, null);
        });
        served.swap(ready);
        return outcome;
    }

    /** Moves staging back to the version it held before the current one. */
    public Outcome rollback(String model, String who) throws PromotionRefusedException, InterruptedException {
        Promotion current = QuarkusTransaction.requiringNew().call(() -> promotions.latest(model, ModelStage.STAGING))
                .orElseThrow(() -> new PromotionRefusedException("nothing of model \"" + model + "\" has been in staging"));
        if (current.previousVersion == null) {
            throw new PromotionRefusedException(model + " v" + current.version + " is the first version in staging; there is nothing to roll back to");
        }
        Candidate previous = QuarkusTransaction.requiringNew().call(() -> candidates.find(model, current.previousVersion)).orElseThrow();
        Prepared ready = deploy(previous, false);
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            stages.lock(model);
            Optional<ModelStage> staging = stages.staging(model);
            if (staging.isEmpty() || staging.get().version != current.version) {
                throw new ConcurrentMoveException("staging of \"" + model + "\" moved while rolling back; try again");
            }
            return move(previous, ready, List.of(), who, true, false, null, null);
        });
        served.swap(ready);
        return outcome;
    }

    /** Downloads, verifies, loads, smoke-checks and (if configured) rolls the version out to Kubernetes. */
    private Prepared deploy(Candidate candidate, boolean smokeCheck) throws PromotionRefusedException, InterruptedException {
        Prepared prepared = preparer.prepare(candidate.model, candidate.version, candidate.dataVersion, candidate.artifactUri,
                candidate.artifactSha256, smokeCheck);
        if (kubernetes.enabled()) {
            kubernetes.deploy(prepared);
        }
        return prepared;
    }

    /** The two sets of metrics the gates compare. */
    record Metrics(ModelMetrics candidate, ModelMetrics staging) {
    }

    private Metrics metricsFor(Candidate candidate, ModelMetrics registered, Integer baselineVersion, ModelMetrics baselineMetrics,
            Optional<ModelStage> staging) {
        if (staging.isEmpty()) {
            return new Metrics(registered, null);
        }
        int staged = staging.get().version;
        if (baselineVersion != null && baselineVersion == staged && baselineMetrics != null) {
            return new Metrics(registered, baselineMetrics);
        }
        try {
            JsonNode compared = registry.compare(candidate.model, candidate.version, staged);
            LOG.infof("%s v%d: staging moved to v%d since evaluation; compared again on the same held-out records", candidate.model,
                    candidate.version, staged);
            return new Metrics(summary(compared.path("metrics")), summary(compared.path("againstMetrics")));
        } catch (NotComparableException e) {
            Candidate stagedRow = QuarkusTransaction.requiringNew().call(() -> candidates.find(candidate.model, staged)).orElse(null);
            LOG.infof("%s v%d cannot be compared with v%d again (%s); using their registered metrics", candidate.model, candidate.version, staged,
                    e.getMessage());
            return new Metrics(registered, stagedRow == null ? null : summary(stagedRow.metricsJson));
        }
    }

    private Outcome finish(UUID eventId, java.util.function.Supplier<Outcome> effect) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ProcessedEvent done = new ProcessedEvent();
            done.eventId = eventId;
            done.topic = Topics.MODEL_REGISTERED;
            done.processedAt = Instant.now();
            processed.persist(done);
            return effect.get();
        });
    }

    private Outcome move(Candidate candidate, Prepared ready, List<GateResult> gates, String cause, boolean rollback, boolean forced, UUID causation,
            String traceparent) {
        stages.lock(candidate.model);
        Instant now = now();
        Optional<ModelStage> existing = stages.staging(candidate.model);
        Integer previous = existing.map(s -> s.version).orElse(null);
        ModelStage stage = existing.orElseGet(() -> {
            ModelStage s = new ModelStage();
            s.model = candidate.model;
            s.stage = ModelStage.STAGING;
            return s;
        });
        stage.version = candidate.version;
        stage.dataset = candidate.dataset;
        stage.datasetSlug = candidate.datasetSlug;
        stage.dataVersion = candidate.dataVersion;
        stage.artifactUri = ready.artifactUri();
        stage.artifactSha256 = ready.artifactSha256();
        stage.since = now;
        if (existing.isEmpty()) {
            stages.persist(stage);
        }
        ModelPromotedEvent event = new ModelPromotedEvent(UUID.randomUUID(), now, candidate.dataset, candidate.datasetSlug, candidate.dataVersion,
                causation, PRODUCER, candidate.model, candidate.version, previous, ModelStage.STAGING, rollback, gates);
        Promotion audit = new Promotion();
        audit.model = candidate.model;
        audit.stage = ModelStage.STAGING;
        audit.version = candidate.version;
        audit.previousVersion = previous;
        audit.dataVersion = candidate.dataVersion;
        audit.at = now;
        audit.cause = cause;
        audit.rollback = rollback;
        audit.forced = forced;
        audit.gatesJson = write(gates);
        audit.eventId = event.eventId();
        promotions.persist(audit);
        if (!rollback) {
            candidate.outcome = "promoted";
            candidate.gatesJson = audit.gatesJson;
            candidate.reason = forced ? "promoted by hand over failed gates" : null;
        }
        write(event, traceparent);
        return new Outcome(true, candidate, gates, null, audit);
    }

    private Outcome reject(Candidate candidate, List<GateResult> gates, String reason, UUID causation, String traceparent) {
        candidate.outcome = "rejected";
        candidate.reason = reason;
        candidate.gatesJson = write(gates);
        write(new ModelPromotionRejectedEvent(UUID.randomUUID(), now(), candidate.dataset, candidate.datasetSlug, candidate.dataVersion, causation,
                PRODUCER, candidate.model, candidate.version, ModelStage.STAGING, gates, reason), traceparent);
        return new Outcome(false, candidate, gates, reason, null);
    }

    private Candidate candidate(ModelRegisteredEvent event) {
        Candidate c = new Candidate();
        c.model = event.model();
        c.version = event.modelVersion();
        c.dataset = event.dataset();
        c.datasetSlug = event.datasetSlug();
        c.dataVersion = event.dataVersion();
        c.pipelineRevision = event.pipelineRevision();
        c.runId = event.runId();
        c.metricsJson = write(event.metrics());
        c.baselineVersion = event.baselineVersion();
        c.baselineMetricsJson = event.baselineMetrics() == null ? null : write(event.baselineMetrics());
        c.artifactUri = event.artifactUri();
        c.artifactSha256 = event.artifactSha256();
        c.registeredEventId = event.eventId();
        c.receivedAt = Instant.now();
        return c;
    }

    private void write(PipelineEvent event, String traceparent) {
        JdbcOutbox.Serialized serialized = JdbcOutbox.serialize(event);
        OutboxEvent row = new OutboxEvent();
        row.eventId = serialized.eventId();
        row.topic = serialized.topic();
        row.recordKey = event.dataset();
        row.payload = serialized.payload();
        row.traceparent = traceparent;
        row.createdAt = event.occurredAt();
        outbox.persist(row);
        outboxWritten.fire(new OutboxWritten());
    }

    private ModelMetrics summary(String json) {
        try {
            return summary(mapper.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelMetrics summary(JsonNode json) {
        return new ModelMetrics(json.path("accuracy").asDouble(), json.path("macroF1").asDouble(), json.path("logLoss").asDouble());
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
