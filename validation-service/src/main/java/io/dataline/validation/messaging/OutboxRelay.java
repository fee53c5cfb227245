package io.dataline.validation.messaging;

import io.agroal.api.AgroalDataSource;
import io.dataline.events.outbox.OutboxRelayLoop;
import io.dataline.service.JdbcOutbox;
import io.dataline.validation.config.ValidationConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/** validation-service's outbox relay: the shared loop over {@code outbox_event}, sending through {@link PipelineEventPublisher}. */
@ApplicationScoped
public class OutboxRelay {

    private static final long ADVISORY_LOCK = 0x44_4C_56_41_4C_49_44_31L; // "DLVALID1"

    private final OutboxRelayLoop loop;

    OutboxRelay(PipelineEventPublisher publisher, AgroalDataSource dataSource, ValidationConfig config) {
        loop = new OutboxRelayLoop("validation-outbox-relay", new JdbcOutbox(dataSource), publisher::send, dataSource, ADVISORY_LOCK,
                config.relay().pollInterval(), config.relay().ackTimeout());
    }

    void start(@Observes StartupEvent event) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    void written(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten event) {
        loop.wake();
    }
}
