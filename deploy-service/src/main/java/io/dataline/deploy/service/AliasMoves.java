package io.dataline.deploy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.deploy.Candidate;
import io.dataline.deploy.ModelStage;
import io.dataline.deploy.ModelStageRepository;
import io.dataline.deploy.Promotion;
import io.dataline.deploy.PromotionRepository;
import io.dataline.deploy.serving.Prepared;
import io.dataline.events.GateResult;
import io.dataline.events.ModelCandidateEvaluatedEvent;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.service.outbox.OutboxWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The moves of the {@code staging} alias and their records, each inside the caller's transaction: a move updates the
 * alias under the per-model lock, appends the audit row and writes {@code model.promoted}; a rejection records the
 * outcome on the candidate and writes {@code model.promotion-rejected} naming every failed gate or the reason; a branch's
 * candidate gets its verdict in {@code model.candidate-evaluated} and moves nothing.
 */
@ApplicationScoped
public class AliasMoves {

    static final String PRODUCER = "deploy-service";

    @Inject
    ModelStageRepository stages;

    @Inject
    PromotionRepository promotions;

    @Inject
    OutboxWriter outbox;

    @Inject
    io.dataline.deploy.PromotionIntentRepository intents;

    @Inject
    ObjectMapper mapper;

    /**
     * Moves staging to the candidate, only from {@code expectedFrom} (the version the gates compared against; null:
     * nothing in staging): if the alias is elsewhere now, {@link ConcurrentMoveException} naming where, and nothing
     * moves. Settles the move's intent (if it rolled out to a cluster and so recorded one) as done in the same transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    PromotionService.Outcome move(Candidate candidate, Prepared ready, List<GateResult> gates, String cause, boolean rollback, boolean forced, UUID causation,
            String traceparent, Integer expectedFrom, UUID intent) {
        stages.lock(candidate.model);
        Instant now = now();
        Optional<ModelStage> existing = stages.staging(candidate.model);
        Integer previous = existing.map(s -> s.version).orElse(null);
        if (!java.util.Objects.equals(previous, expectedFrom)) {
            throw new ConcurrentMoveException("staging of \"" + candidate.model + "\" is " + (previous == null ? "empty" : "v" + previous)
                    + ", not " + (expectedFrom == null ? "empty" : "v" + expectedFrom) + " as when this move was decided; nothing moved");
        }
        if (intent != null) {
            intents.settle(intent, io.dataline.deploy.PromotionIntent.DONE, null);
        }
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
                causation, PRODUCER, candidate.model, candidate.version, previous, ModelStage.STAGING, rollback, gates, candidate.branch);
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
        audit.gatesJson = json(gates);
        audit.eventId = event.eventId();
        promotions.persist(audit);
        if (!rollback) {
            candidate.outcome = "promoted";
            candidate.gatesJson = audit.gatesJson;
            candidate.reason = forced ? "promoted by hand over failed gates" : null;
        }
        outbox.write(event, traceparent);
        return new PromotionService.Outcome(true, candidate, gates, null, audit);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    PromotionService.Outcome reject(Candidate candidate, List<GateResult> gates, String reason, UUID causation, String traceparent) {
        candidate.outcome = "rejected";
        candidate.reason = reason;
        candidate.gatesJson = json(gates);
        outbox.write(new ModelPromotionRejectedEvent(UUID.randomUUID(), now(), candidate.dataset, candidate.datasetSlug, candidate.dataVersion, causation,
                PRODUCER, candidate.model, candidate.version, ModelStage.STAGING, gates, reason, candidate.branch), traceparent);
        return new PromotionService.Outcome(false, candidate, gates, reason, null);
    }

    /**
     * Records the gates' verdict on a branch's candidate and writes {@code model.candidate-evaluated}; staging stays
     * where it is whatever the verdict.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    PromotionService.Outcome evaluated(Candidate candidate, Integer stagedVersion, List<GateResult> gates, String reason, UUID causation,
            String traceparent) {
        candidate.outcome = reason == null ? "passed" : "rejected";
        candidate.reason = reason;
        candidate.gatesJson = json(gates);
        outbox.write(new ModelCandidateEvaluatedEvent(UUID.randomUUID(), now(), candidate.dataset, candidate.datasetSlug, candidate.dataVersion,
                causation, PRODUCER, candidate.model, candidate.version, ModelStage.STAGING, stagedVersion, reason == null, gates, reason,
                candidate.branch), traceparent);
        return new PromotionService.Outcome(false, candidate, gates, reason, null);
    }

    Candidate candidate(ModelRegisteredEvent event) {
        Candidate c = new Candidate();
        c.model = event.model();
        c.version = event.modelVersion();
        c.metricsJson = json(event.metrics());
        c.dataset = event.dataset();
        c.datasetSlug = event.datasetSlug();
        c.dataVersion = event.dataVersion();
        c.baselineMetricsJson = event.baselineMetrics() == null ? null : json(event.baselineMetrics());
        c.branch = event.branchOrMain();
        c.pipelineRevision = event.pipelineRevision();
        c.baselineVersion = event.baselineVersion();
        c.runId = event.runId();
        c.receivedAt = Instant.now();
        c.artifactUri = event.artifactUri();
        c.artifactSha256 = event.artifactSha256();
        c.artifactFormat = event.artifactFormat();
        c.registeredEventId = event.eventId();
        return c;
    }

    String json(Object value) {
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
