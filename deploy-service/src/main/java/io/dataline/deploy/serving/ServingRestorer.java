package io.dataline.deploy.serving;

import io.dataline.deploy.ModelStage;
import io.dataline.deploy.ModelStageRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * After a restart, serves what the database says is in staging: each staged built-in model is downloaded, verified
 * and loaded again (in the background, retrying while training-orchestrator is unreachable; predictions answer 503
 * until then).
 */
@ApplicationScoped
public class ServingRestorer {

    private static final Logger LOG = Logger.getLogger(ServingRestorer.class);

    @Inject
    ModelStageRepository stages;

    @Inject
    ArtifactPreparer preparer;

    @Inject
    ServedModels served;
    private volatile Thread thread;

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::restore, "staging-restorer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Loads every staged model that is not served yet, retrying while the registry is unreachable. */
    public void restore() {
        List<ModelStage> pending = new ArrayList<>(QuarkusTransaction.requiringNew().call(() -> stages.listAll()));
        long delay = 500;
        while (!pending.isEmpty() && !Thread.currentThread().isInterrupted()) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                ModelStage stage = it.next();
                if (served.get(stage.model).map(s -> s.version() != stage.version).orElse(false)) {
                    it.remove(); // a promotion after startup already replaced it
                    continue;
                }
                try {
                    served.swapIfAbsent(preparer.prepare(stage.model, stage.version, stage.dataVersion, stage.artifactUri, stage.artifactSha256, false));
                    LOG.infof("serving %s v%d (in staging since %s)", stage.model, stage.version, stage.since);
                    it.remove();
                } catch (PromotionRefusedException e) {
                    LOG.errorf("cannot serve %s v%d, which is in staging: %s", stage.model, stage.version, e.getMessage());
                    it.remove();
                } catch (RuntimeException e) {
                    LOG.warnf("cannot load %s v%d yet (%s); retrying", stage.model, stage.version, e.getMessage());
                }
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            delay = Math.min(delay * 2, 10_000);
        }
    }
}
