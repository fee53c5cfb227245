package io.dataline.deploy.service;

import io.dataline.deploy.Candidate;
import io.dataline.deploy.CandidateRepository;
import io.dataline.deploy.ModelStage;
import io.dataline.deploy.ModelStageRepository;
import io.dataline.deploy.Promotion;
import io.dataline.deploy.PromotionRepository;
import io.dataline.deploy.promotion.GateEvaluator;
import io.dataline.deploy.serving.ArtifactPreparer;
import io.dataline.deploy.serving.KubernetesDeployer;
import io.dataline.deploy.serving.Prepared;
import io.dataline.deploy.serving.PromotionRefusedException;
import io.dataline.deploy.serving.ServedModels;
import io.dataline.events.GateResult;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.service.UnprocessableEventException;
import io.dataline.service.inbox.Inbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Promotion to {@code staging}, the use cases. For a registered version: apply the gates ({@link GateDecisions}), and
 * if they pass, get the artifact ready (checksum, load, smoke check, Kubernetes rollout); then in one transaction
 * record the event as processed and move the alias or reject the candidate ({@link AliasMoves}). Only then does the
 * served model change. Moves by hand (promote, rollback) go through the same steps and the same per-model lock.
 */
@ApplicationScoped
public class PromotionService {

    @Inject
    CandidateRepository candidates;

    @Inject
    ModelStageRepository stages;

    @Inject
    PromotionRepository promotions;

    @Inject
    GateDecisions gates;

    @Inject
    AliasMoves moves;

    @Inject
    Inbox inbox;

    @Inject
    ArtifactPreparer preparer;

    @Inject
    KubernetesDeployer kubernetes;

    @Inject
    ServedModels served;

    /** What happened to a candidate: promoted (with the audit row) or rejected (with the reason); gates either way. */
    public record Outcome(boolean promoted, Candidate candidate, List<GateResult> gates, String reason, Promotion audit) {
    }

    /** Decides about a registered version once per event; empty for a redelivery. */
    public Optional<Outcome> onRegistered(ModelRegisteredEvent event, String traceparent) {
        if (inbox.seen(event.eventId())) {
            return Optional.empty();
        }
        Candidate candidate = QuarkusTransaction.requiringNew().call(() -> candidates.find(event.model(), event.modelVersion())
                .orElseGet(() -> {
                    Candidate c = moves.candidate(event);
                    candidates.persist(c);
                    return c;
                }));
        Optional<ModelStage> staging = QuarkusTransaction.requiringNew().call(() -> stages.staging(event.model()));
        if (staging.isPresent() && staging.get().version == event.modelVersion()) {
            return inbox.once(event.eventId(), Topics.MODEL_REGISTERED, () -> new Outcome(true, candidate, List.of(), "already in staging", null));
        }
        GateEvaluator.Decision decision = gates.decide(candidate, event.metrics(), event.baselineVersion(), event.baselineMetrics(), staging);
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
        Optional<Outcome> outcome = inbox.once(event.eventId(), Topics.MODEL_REGISTERED, () -> {
            Candidate row = candidates.find(event.model(), event.modelVersion()).orElseThrow();
            if (ready == null) {
                return moves.reject(row, decision.gates(), finalReason, event.eventId(), traceparent);
            }
            return moves.move(row, ready, decision.gates(), event.eventId().toString(), false, false, event.eventId(), traceparent);
        });
        if (outcome.isPresent() && outcome.get().promoted() && ready != null) {
            served.swap(ready);
        }
        return outcome;
    }

    /** Promotes a registered version by hand; the gates are evaluated and shown, and refused unless {@code force}. */
    public Outcome promoteByHand(String model, int version, boolean force, String who) throws PromotionRefusedException, InterruptedException {
        Candidate candidate = QuarkusTransaction.requiringNew().call(() -> candidates.find(model, version))
                .orElseThrow(() -> new UnprocessableEventException("no registered version " + version + " of model \"" + model + "\""));
        Optional<ModelStage> staging = QuarkusTransaction.requiringNew().call(() -> stages.staging(model));
        if (staging.isPresent() && staging.get().version == version) {
            throw new PromotionRefusedException(model + " v" + version + " is already in staging");
        }
        GateEvaluator.Decision decision = gates.decide(candidate, staging);
        if (!decision.promote() && !force) {
            return new Outcome(false, candidate, decision.gates(), decision.reason(), null);
        }
        Prepared ready = deploy(candidate, true);
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            stages.lock(model);
            return moves.move(candidates.find(model, version).orElseThrow(), ready, decision.gates(), who, false, !decision.promote(), null, null);
        });
        served.swap(ready);
        return outcome;
    }

    /** Moves staging back to the version it held before the current one. */
    public Outcome rollback(String model, String who) throws PromotionRefusedException, InterruptedException {
        Promotion current = QuarkusTransaction.requiringNew().call(() -> promotions.latest(model, ModelStage.STAGING))
                .orElseThrow(() -> new PromotionRefusedException("nothing of model \"" + model + "\" has been in staging"));
        Integer target = QuarkusTransaction.requiringNew().call(() -> promotions.rollbackTarget(model, ModelStage.STAGING)).orElseThrow(
                () -> new PromotionRefusedException(current.rollback
                        ? "every promotion of " + model + " since v" + current.version + ", the first in staging, is rolled back already; "
                                + "there is nothing to roll back to"
                        : model + " v" + current.version + " is the first version in staging; there is nothing to roll back to"));
        Candidate previous = QuarkusTransaction.requiringNew().call(() -> candidates.find(model, target)).orElseThrow();
        Prepared ready = deploy(previous, false);
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            stages.lock(model);
            Optional<ModelStage> staging = stages.staging(model);
            if (staging.isEmpty() || staging.get().version != current.version) {
                throw new ConcurrentMoveException("staging of \"" + model + "\" moved while rolling back; try again");
            }
            return moves.move(previous, ready, List.of(), who, true, false, null, null);
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
}
