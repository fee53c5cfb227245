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
import io.dataline.service.Periodic;
import java.time.Duration;
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

    private Periodic timer;

    void start(@Observes StartupEvent event) {
        timer = Periodic.start("dataset-service-housekeeping", Duration.ofMinutes(1), Duration.ofHours(1), this::run, LOG);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.stop();
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
