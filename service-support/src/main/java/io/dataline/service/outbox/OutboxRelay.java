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
 * {@code dataline.relay.poll-interval} (1 s) and {@code dataline.relay.ack-timeout} (30 s).
 */
@ApplicationScoped
public class OutboxRelay {

    private final OutboxRelayLoop loop;

    OutboxRelay(OutboxPublisher publisher, AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.application.name") String service,
            SharedSettings settings) {
        this.loop = new OutboxRelayLoop(service + "-outbox-relay", new JdbcOutbox(dataSource), publisher, dataSource, lockId(service),
                settings.relay().pollInterval(), settings.relay().ackTimeout());
    }

    /** The advisory lock that lets one replica of a service relay at a time: derived from the service's name. */
    static long lockId(String service) {
        CRC32 crc = new CRC32();
        crc.update(("dataline-outbox:" + service).getBytes(StandardCharsets.UTF_8));
        return 0x444C_0000_0000_0000L | crc.getValue();
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
