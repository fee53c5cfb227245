package io.dataline.deploy.service;

import io.dataline.deploy.Candidate;
import io.dataline.deploy.CandidateRepository;
import io.dataline.deploy.ModelStage;
import io.dataline.deploy.ModelStageRepository;
import io.dataline.deploy.Promotion;
import io.dataline.deploy.PromotionIntent;
import io.dataline.deploy.PromotionIntentRepository;
import io.dataline.deploy.PromotionRepository;
import io.dataline.deploy.config.DeployConfig;
import io.dataline.deploy.promotion.GateEvaluator;
import io.dataline.deploy.serving.ArtifactPreparer;
import io.dataline.deploy.serving.KubernetesDeployer;
import io.dataline.deploy.serving.Prepared;
import io.dataline.deploy.serving.PromotionRefusedException;
import io.dataline.deploy.serving.ServedModels;
import io.dataline.events.GateResult;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.events.outbox.Traceparents;
import io.dataline.service.UnprocessableEventException;
import io.dataline.service.inbox.Inbox;
import io.dataline.service.messaging.EventHandler;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Promotion to {@code staging}, the use cases, each a small state machine under the model's promotion lock
 * ({@link ModelLocks}): read staging and apply the gates ({@link GateDecisions}); get the artifact ready (checksum,
 * load, smoke check); with Kubernetes configured, record the intent and roll it out; then in one transaction move the
 * alias from exactly the version the gates compared against, settle the intent and record the event as processed
 * ({@link AliasMoves}); only then does the served model change (swaps ordered by move). A rollout that fails refuses
 * the move and puts the cluster back; an alias move that fails after the rollout puts the cluster back to the alias;
 * a process that dies in between leaves a pending intent that {@code ClusterReconciler} settles once its lock is free.
 * A model trained on a branch other than main is only evaluated ({@code model.candidate-evaluated}): it never moves
 * the alias, by event or by hand. Moves by hand (promote, rollback) take the same path: 409 when another move of the model is under way, or when
 * staging is not what they compared against.
 */
@ApplicationScoped
public class PromotionService implements EventHandler<ModelRegisteredEvent> {

    private static final Logger LOG = Logger.getLogger(PromotionService.class);

    @Inject
    CandidateRepository candidates;

    @Inject
    ModelStageRepository stages;

    @Inject
    PromotionRepository promotions;

    @Inject
    PromotionIntentRepository intents;

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

    @Inject
    ModelLocks locks;

    @Inject
    DeployConfig config;

    /** What happened to a candidate: promoted (with the audit row) or rejected (with the reason); gates either way. */
    public record Outcome(boolean promoted, Candidate candidate, List<GateResult> gates, String reason, Promotion audit) {
    }

    /**
     * {@code model.registered} (service-support's {@code PipelineConsumer}): decides each version's promotion once.
     * dataset-service, training-orchestrator or the database away: retried until they are back; an event naming
     * something that does not exist goes to {@code model.registered.deploy-service.dlq}.
     */
    @Override
    public void handle(ModelRegisteredEvent event) {
        onRegistered(event, Traceparents.current()).ifPresentOrElse(
                outcome -> LOG.infof("%s v%d %s", event.model(), event.modelVersion(), outcome.promoted() ? "promoted to staging"
                        : "rejected: " + outcome.reason()),
                () -> LOG.debugf("duplicate ignored: event %s", event.eventId()));
    }

    private record Gated(Candidate candidate, Optional<ModelStage> staging) {
    }

    /** Decides about a registered version once per event; empty for a redelivery. */
    public Optional<Outcome> onRegistered(ModelRegisteredEvent event, String traceparent) {
        // a built-in model's artifact and held-out sample come over the network while the lock is taken and the rows read
        // (a redelivery or a rejection discards them)
        ArtifactPreparer.Fetch ahead = event.onMain()
                ? preparer.ahead(event.model(), event.modelVersion(), event.artifactUri(), event.artifactFormat())
                : null;
        try {
            return onRegistered(event, traceparent, ahead);
        } finally {
            if (ahead != null) {
                ahead.close();
            }
        }
    }

    private Optional<Outcome> onRegistered(ModelRegisteredEvent event, String traceparent, ArtifactPreparer.Fetch ahead) {
        ModelLocks.Held lock;
        try {
            lock = locks.acquire(event.model(), null).orElseThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while waiting for the promotion lock of " + event.model(), e);
        }
        try (lock) {
            // under the model's lock, in one transaction: whether the event was decided (a redelivery, or decided by whoever
            // held the lock meanwhile), the candidate, and the staging alias it is gated against
            Gated gated = QuarkusTransaction.requiringNew().call(() -> inbox.processed(event.eventId()) ? null
                    : new Gated(candidates.find(event.model(), event.modelVersion()).orElseGet(() -> {
                        Candidate c = moves.candidate(event);
                        candidates.persist(c);
                        return c;
                    }), stages.staging(event.model())));
            if (gated == null) {
                return Optional.empty();
            }
            Candidate candidate = gated.candidate();
            Optional<ModelStage> staging = gated.staging();
            if (staging.isPresent() && staging.get().version == event.modelVersion()) {
                return inbox.once(event.eventId(), Topics.MODEL_REGISTERED, () -> new Outcome(true, candidate, List.of(), "already in staging", null));
            }
            GateEvaluator.Decision decision = gates.decide(candidate, event.metrics(), event.baselineVersion(), event.baselineMetrics(), staging);
            if (!event.onMain()) { // a branch's candidate: the verdict is a pull request's check, staging stays where it is
                return inbox.once(event.eventId(), Topics.MODEL_REGISTERED, () -> moves.evaluated(candidates.find(event.model(), event.modelVersion())
                        .orElseThrow(), staging.map(s -> s.version).orElse(null), decision.gates(), decision.promote() ? null : decision.reason(),
                        event.eventId(), traceparent));
            }
            if (!decision.promote()) {
                return reject(event, decision.gates(), decision.reason(), traceparent);
            }
            Move move;
            try {
                move = roll(candidate, staging, false, event.eventId().toString(), true, ahead);
            } catch (PromotionRefusedException e) {
                return reject(event, decision.gates(), e.getMessage(), traceparent);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while deploying", e);
            }
            Optional<Outcome> outcome = move.finish(() -> inbox.once(event.eventId(), Topics.MODEL_REGISTERED, () -> moves.move(
                    candidates.find(event.model(), event.modelVersion()).orElseThrow(), move.ready(), decision.gates(), event.eventId().toString(),
                    false, false, event.eventId(), traceparent, move.from(), move.intent())));
            outcome.filter(Outcome::promoted).ifPresent(o -> served.swap(move.ready(), o.audit().id));
            return outcome;
        }
    }

    private Optional<Outcome> reject(ModelRegisteredEvent event, List<GateResult> gateResults, String reason, String traceparent) {
        return inbox.once(event.eventId(), Topics.MODEL_REGISTERED,
                () -> moves.reject(candidates.find(event.model(), event.modelVersion()).orElseThrow(), gateResults, reason, event.eventId(), traceparent));
    }

    /** Promotes a registered version by hand; the gates are evaluated and shown, and refused unless {@code force}. */
    public Outcome promoteByHand(String model, int version, boolean force, String who) throws PromotionRefusedException, InterruptedException {
        try (ModelLocks.Held lock = lockByHand(model)) {
            Candidate candidate = QuarkusTransaction.requiringNew().call(() -> candidates.find(model, version))
                    .orElseThrow(() -> new UnprocessableEventException("no registered version " + version + " of model \"" + model + "\""));
            Optional<ModelStage> staging = QuarkusTransaction.requiringNew().call(() -> stages.staging(model));
            if (staging.isPresent() && staging.get().version == version) {
                throw new PromotionRefusedException(model + " v" + version + " is already in staging");
            }
            if (!io.dataline.events.PipelineEvent.MAIN.equals(candidate.branch)) {
                throw new PromotionRefusedException(model + " v" + version + " was trained on branch \"" + candidate.branch
                        + "\": a branch's model is a candidate only; merge its pull request and the model trained on main can be promoted");
            }
            GateEvaluator.Decision decision = gates.decide(candidate, staging);
            if (!decision.promote() && !force) {
                return new Outcome(false, candidate, decision.gates(), decision.reason(), null);
            }
            Move move = roll(candidate, staging, false, who, true, null);
            Outcome outcome = move.finish(() -> QuarkusTransaction.requiringNew().call(() -> moves.move(candidates.find(model, version).orElseThrow(),
                    move.ready(), decision.gates(), who, false, !decision.promote(), null, null, move.from(), move.intent())));
            served.swap(move.ready(), outcome.audit().id);
            return outcome;
        }
    }

    /** Moves staging back to the version it held before the current one (walking the audit history). */
    public Outcome rollback(String model, String who) throws PromotionRefusedException, InterruptedException {
        try (ModelLocks.Held lock = lockByHand(model)) {
            Promotion current = QuarkusTransaction.requiringNew().call(() -> promotions.latest(model, ModelStage.STAGING))
                    .orElseThrow(() -> new PromotionRefusedException("nothing of model \"" + model + "\" has been in staging"));
            Integer target = QuarkusTransaction.requiringNew().call(() -> promotions.rollbackTarget(model, ModelStage.STAGING)).orElseThrow(
                    () -> new PromotionRefusedException(current.rollback
                            ? "every promotion of " + model + " since v" + current.version + ", the first in staging, is rolled back already; "
                                    + "there is nothing to roll back to"
                            : model + " v" + current.version + " is the first version in staging; there is nothing to roll back to"));
            Candidate previous = QuarkusTransaction.requiringNew().call(() -> candidates.find(model, target)).orElseThrow();
            Optional<ModelStage> staging = QuarkusTransaction.requiringNew().call(() -> stages.staging(model));
            if (staging.isEmpty() || staging.get().version != current.version) {
                throw new ConcurrentMoveException("staging of \"" + model + "\" is " + staging.map(s -> "v" + s.version).orElse("empty")
                        + ", not v" + current.version + " as its audit says; try again");
            }
            Move move = roll(previous, staging, true, who, false, null);
            Outcome outcome = move.finish(() -> QuarkusTransaction.requiringNew().call(
                    () -> moves.move(previous, move.ready(), List.of(), who, true, false, null, null, move.from(), move.intent())));
            served.swap(move.ready(), outcome.audit().id);
            return outcome;
        }
    }

    private ModelLocks.Held lockByHand(String model) throws InterruptedException {
        return locks.acquire(model, config.promotion().lockWait()).orElseThrow(() -> new ConcurrentMoveException(
                "another move of \"" + model + "\" is under way (a promotion, its rollout, or a rollback); try again when it is done"));
    }

    /**
     * A move waiting for its alias move: the artifact ready and, with a cluster, the intent recorded and the cluster
     * serving it. {@link #finish} runs the alias move, and if that fails puts the cluster back and abandons the intent.
     */
    private final class Move {
        private final Prepared ready;
        private final Integer from;
        private final UUID intent;
        private final KubernetesDeployer.Rollout rollout;

        Move(Prepared ready, Integer from, UUID intent, KubernetesDeployer.Rollout rollout) {
            this.ready = ready;
            this.from = from;
            this.intent = intent;
            this.rollout = rollout;
        }

        Prepared ready() {
            return ready;
        }

        Integer from() {
            return from;
        }

        UUID intent() {
            return intent;
        }

        <T> T finish(java.util.function.Supplier<T> aliasMove) {
            try {
                return aliasMove.get();
            } catch (RuntimeException e) {
                if (rollout != null) {
                    rollout.undo(); // the cluster serves what the alias names
                }
                if (intent != null) {
                    try {
                        QuarkusTransaction.requiringNew().run(() -> intents.settle(intent, PromotionIntent.ABANDONED, "the alias move failed: " + e.getMessage()));
                    } catch (RuntimeException unrecorded) {
                        LOG.warnf("intent %s stays pending (%s); the reconciler settles it", intent, unrecorded.getMessage());
                    }
                }
                throw e;
            }
        }
    }

    /**
     * Gets the version ready (download, verify, load, smoke check; with what {@code ahead} read, if it read this
     * version) and, with the kubernetes deployer on, records the intent (from the staging version just read) and rolls
     * it out; a refused rollout settles the intent as refused.
     * Without a cluster nothing happens outside the alias move's own transaction, so there is no intent to record
     * (and no transaction spent on one).
     */
    private Move roll(Candidate candidate, Optional<ModelStage> staging, boolean rollback, String cause, boolean smokeCheck,
            ArtifactPreparer.Fetch ahead) throws PromotionRefusedException, InterruptedException {
        Prepared ready = ahead != null && ahead.reads(candidate.model, candidate.version, candidate.artifactUri, candidate.artifactFormat, smokeCheck)
                ? preparer.prepare(ahead, candidate.dataVersion, candidate.artifactSha256)
                : preparer.prepare(candidate.model, candidate.version, candidate.dataVersion, candidate.artifactUri, candidate.artifactSha256,
                        candidate.artifactFormat, smokeCheck);
        Integer from = staging.map(s -> s.version).orElse(null);
        if (!kubernetes.enabled()) {
            return new Move(ready, from, null, null);
        }
        UUID intent = QuarkusTransaction.requiringNew().call(() -> {
            // this process holds the model's lock: a pending intent left from before belongs to a move that died
            intents.pending(candidate.model).forEach(old -> intents.settle(old.id, PromotionIntent.ABANDONED,
                    "superseded: its process ended before the alias moved"));
            return intents.open(candidate.model, from, candidate.version, rollback, cause).id;
        });
        KubernetesDeployer.Rollout rollout;
        try {
            rollout = kubernetes.deploy(ready);
        } catch (PromotionRefusedException e) {
            QuarkusTransaction.requiringNew().run(() -> intents.settle(intent, PromotionIntent.REFUSED, e.getMessage()));
            throw e;
        }
        return new Move(ready, from, intent, rollout);
    }
}
