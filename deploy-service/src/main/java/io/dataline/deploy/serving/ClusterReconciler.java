package io.dataline.deploy.serving;

import io.dataline.deploy.ModelStage;
import io.dataline.deploy.ModelStageRepository;
import io.dataline.deploy.PromotionIntent;
import io.dataline.deploy.PromotionIntentRepository;
import io.dataline.deploy.config.DeployConfig;
import io.dataline.deploy.service.ModelLocks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import io.dataline.service.Periodic;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Makes the cluster agree with the alias after anything went wrong in between: at startup and every
 * {@code dataline.promotion.reconcile-interval}, for each model with a pending intent (and, with the kubernetes
 * deployer on, each model in staging) whose promotion lock is free — so no live move is running — it settles the
 * pending intents as abandoned (their process died between the rollout and the alias move) and, if the serving
 * Deployment names another version than staging, rolls staging's version out again. The served model of this process
 * follows the alias already ({@link ServingRestorer}, swaps after each move).
 */
@ApplicationScoped
public class ClusterReconciler {

    private static final Logger LOG = Logger.getLogger(ClusterReconciler.class);

    @Inject
    PromotionIntentRepository intents;

    @Inject
    ModelStageRepository stages;

    @Inject
    ModelLocks locks;

    @Inject
    KubernetesDeployer kubernetes;

    @Inject
    DeployConfig config;

    private Periodic timer;

    void start(@Observes StartupEvent event) {
        timer = Periodic.start("promotion-reconciler", Duration.ZERO, config.promotion().reconcileInterval(), this::reconcile, LOG);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.stop();
        }
    }

    /** One round; how many models it put right (intents settled or the cluster rolled back to the alias). */
    public int reconcile() {
        Set<String> models = new LinkedHashSet<>(QuarkusTransaction.requiringNew().call(() -> intents.modelsWithPending()));
        if (kubernetes.enabled()) {
            models.addAll(QuarkusTransaction.requiringNew().call(() -> stages.listAll().stream().map(s -> s.model).toList()));
        }
        int fixed = 0;
        for (String model : models) {
            Optional<ModelLocks.Held> lock = locks.tryAcquire(model);
            if (lock.isEmpty()) {
                continue; // a move of this model is running now; it settles its own intent
            }
            try (ModelLocks.Held held = lock.get()) {
                if (reconcile(model)) {
                    fixed++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fixed;
            } catch (PromotionRefusedException | RuntimeException e) {
                LOG.warnf("cannot bring the cluster back to staging of %s yet: %s", model, e.getMessage());
            }
        }
        return fixed;
    }

    private boolean reconcile(String model) throws PromotionRefusedException, InterruptedException {
        int abandoned = QuarkusTransaction.requiringNew().call(() -> {
            var pending = intents.pending(model);
            pending.forEach(intent -> intents.settle(intent.id, PromotionIntent.ABANDONED,
                    "its process ended before the alias moved; the cluster follows the alias"));
            return pending.size();
        });
        if (abandoned > 0) {
            LOG.warnf("%s: %d move(s) abandoned by a process that ended mid-way", model, abandoned);
        }
        if (!kubernetes.enabled()) {
            return abandoned > 0;
        }
        Optional<ModelStage> staging = QuarkusTransaction.requiringNew().call(() -> stages.staging(model));
        Optional<Integer> served = kubernetes.templateVersion(model);
        String deployment = kubernetes.deploymentName(model);
        if (staging.isEmpty()) {
            served.ifPresent(version -> LOG.warnf("Deployment %s names %s v%d, but nothing of it is in staging; left as it is",
                    deployment, model, version));
            return abandoned > 0;
        }
        ModelStage stage = staging.get();
        if (served.isPresent() && served.get() == stage.version) {
            return abandoned > 0;
        }
        LOG.warnf("Deployment %s names %s, staging is v%d: rolling v%d out again", deployment,
                served.map(v -> "v" + v).orElse("no version"), stage.version, stage.version);
        kubernetes.deploy(new Prepared(model, stage.version, stage.dataVersion, null, stage.artifactUri, stage.artifactSha256, Optional.empty()));
        return true;
    }
}
