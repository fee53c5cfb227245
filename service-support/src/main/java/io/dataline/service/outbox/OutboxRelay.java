package io.dataline.service.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import io.dataline.service.SharedSettings;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every service's outbox relay: the {@link OutboxRelayLoop} over {@code outbox_event}, sending through the
 * {@link OutboxPublisher}, woken by each committed transaction that wrote a row. Configuration:
 * {@code dataline.relay.poll-interval} (1 s), {@code dataline.relay.ack-timeout} (30 s), {@code dataline.relay.retention}
 * (168 h) and {@code dataline.relay.max-attempts} (5, before a row the broker refuses for good is parked).
 */
@ApplicationScoped
public class OutboxRelay {

    private final OutboxRelayLoop loop;
    private final JdbcOutbox outbox;

    OutboxRelay(OutboxPublisher publisher, AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.application.name") String service,
            SharedSettings settings) {
        this.outbox = new JdbcOutbox(dataSource);
        this.loop = new OutboxRelayLoop(service + "-outbox-relay", outbox, publisher, dataSource, lockId(service),
                settings.relay().pollInterval(), settings.relay().ackTimeout(), settings.relay().retention(),
                settings.relay().maxAttempts());
    }

    /** The advisory lock that lets one replica of a service relay at a time: derived from the service's name. */
    static long lockId(String service) {
        CRC32 crc = new CRC32();
        crc.update(("dataline-outbox:" + service).getBytes(StandardCharsets.UTF_8));
        return 0x444C_0000_0000_0000L | crc.getValue();
    }

    void start(@Observes StartupEvent event, io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("dataline.outbox.parked", this, OutboxRelay::parkedCount)
                .description("outbox rows the broker refused for good, waiting for a replay").register(registry);
        loop.start();
    }

    private double parkedCount() {
        try {
            return outbox.countParked();
        } catch (RuntimeException e) {
            return Double.NaN; // the database is away: unknown, not zero
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    void written(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten event) {
        loop.wake();
    }

    /** Parked rows, oldest first. */
    public java.util.List<JdbcOutbox.Parked> parked() {
        return outbox.parked();
    }

    /** Puts a parked row back in line and wakes the relay; false when there is no such parked row. */
    public boolean replay(long id) {
        boolean replayed = outbox.replay(id);
        loop.wake();
        return replayed;
    }
}
