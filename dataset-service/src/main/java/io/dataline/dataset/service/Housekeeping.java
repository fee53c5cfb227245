package io.dataline.dataset.service;

import io.dataline.dataset.ChangeSetRepository;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Hourly: discards change sets idle past {@code dataline.changesets.idle-timeout} (with what they staged) and forgets
 * Idempotency-Key answers older than {@code dataline.idempotency.retention}, so neither table grows for ever.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    @Inject
    ChangeSetRepository changeSets;

    @Inject
    EntityManager entities;

    @Inject
    DatasetServiceConfig config;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dataset-service-housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::runSafely, 1, 60, TimeUnit.MINUTES);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void runSafely() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warnf("housekeeping failed, trying again in an hour: %s", e.getMessage());
        }
    }

    /** One round; what it removed: expired change sets and forgotten idempotent answers. */
    public int[] run() {
        Instant now = Instant.now();
        return QuarkusTransaction.requiringNew().call(() -> new int[] {
            changeSets.expire(now.minus(config.changesets().idleTimeout())),
            entities.createNativeQuery("DELETE FROM idempotent_commit WHERE created_at < ?1")
                    .setParameter(1, now.minus(config.idempotency().retention())).executeUpdate()});
    }
}
