package io.dataline.deploy.messaging;

import io.agroal.api.AgroalDataSource;
import io.dataline.deploy.config.DeployConfig;
import io.dataline.deploy.service.OutboxWritten;
import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.events.outbox.OutboxRelayLoop;
import io.dataline.service.JdbcOutbox;
import io.dataline.service.OutboxPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** deploy-service's outbox relay: {@code model.promoted} and {@code model.promotion-rejected}, in the order written. */
@ApplicationScoped
public class OutboxRelay {

    public static final String PROMOTED_CHANNEL = "model-promoted";
    public static final String REJECTED_CHANNEL = "model-promotion-rejected";
    private static final long ADVISORY_LOCK = 0x44_4C_44_45_50_4C_4F_59L; // "DLDEPLOY"

    private final OutboxRelayLoop loop;

    OutboxRelay(@Channel(PROMOTED_CHANNEL) Emitter<PipelineEvent> promoted, @Channel(REJECTED_CHANNEL) Emitter<PipelineEvent> rejected,
            AgroalDataSource dataSource, DeployConfig config) {
        OutboxPublisher publisher = new OutboxPublisher(Map.of(Topics.MODEL_PROMOTED, promoted, Topics.MODEL_PROMOTION_REJECTED, rejected));
        loop = new OutboxRelayLoop("deploy-outbox-relay", new JdbcOutbox(dataSource), publisher, dataSource, ADVISORY_LOCK,
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
