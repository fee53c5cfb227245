package io.dataline.deploy.serving;

import io.dataline.deploy.ModelStage;
import io.dataline.deploy.ModelStageRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.dataline.deploy.PromotionRepository;
import io.dataline.deploy.config.DeployConfig;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Serves what the database says is in staging, on every replica: at start and then every
 * {@code dataline.promotion.follow-interval} (2 s), each staged built-in model whose version differs from the one this
 * process serves (it just started, or another replica moved the alias) is downloaded, verified and loaded, then swapped
 * in under the alias move's audit id, as the replica that moved it did, so an older move never replaces a newer one.
 * What cannot load yet (training-orchestrator unreachable) is tried again next round, predictions answering 503 until
 * then; a version that can never be served is logged once.
 */
@ApplicationScoped
public class ServingRestorer {

    private static final Logger LOG = Logger.getLogger(ServingRestorer.class);

    @Inject
    ModelStageRepository stages;

    @Inject
    PromotionRepository promotions;

    @Inject
    ArtifactPreparer preparer;

    @Inject
    ServedModels served;

    @Inject
    DeployConfig config;

    /** model@version that can never be served (not a built-in model, a bad artifact): not tried again. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** model@version whose loading failed and was logged, so a long outage logs once per version. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::loop, "staging-follower");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                follow();
            } catch (RuntimeException e) {
                LOG.debugf("following the staging alias failed this round: %s", e.getMessage());
            }
            try {
                Thread.sleep(config.promotion().followInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: loads every staged model this process does not serve in its staged version; returns how many. */
    public int follow() {
        record Staged(ModelStage stage, long move) {
        }
        List<Staged> differing = QuarkusTransaction.requiringNew().call(() -> stages.listAll().stream()
                .filter(stage -> ModelStage.STAGING.equals(stage.stage))
                .filter(stage -> served.get(stage.model).map(s -> s.version() != stage.version).orElse(true))
                .map(stage -> new Staged(stage, promotions.latest(stage.model, stage.stage).map(p -> p.id).orElse(Long.MIN_VALUE)))
                .toList());
        int loaded = 0;
        for (Staged staged : differing) {
            ModelStage stage = staged.stage();
            String which = stage.model + "@" + stage.version;
            if (refused.contains(which)) {
                continue;
            }
            try {
                Prepared prepared = preparer.prepare(stage.model, stage.version, stage.dataVersion, stage.artifactUri, stage.artifactSha256, null, false);
                failing.remove(which);
                if (prepared.loaded().isEmpty()) {
                    refused.add(which); // not a built-in model: its deployer serves it, not this service
                    continue;
                }
                served.swap(prepared, staged.move());
                loaded++;
                LOG.infof("serving %s v%d (in staging since %s)", stage.model, stage.version, stage.since);
            } catch (PromotionRefusedException e) {
                refused.add(which);
                LOG.errorf("cannot serve %s v%d, which is in staging: %s", stage.model, stage.version, e.getMessage());
            } catch (RuntimeException e) {
                if (failing.add(which)) {
                    LOG.warnf("cannot load %s v%d yet (%s); trying again every %s", stage.model, stage.version, e.getMessage(),
                            config.promotion().followInterval());
                }
            }
        }
        return loaded;
    }
}
