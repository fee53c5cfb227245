package io.dataline.training.messaging;

import io.agroal.api.AgroalDataSource;
import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.events.outbox.OutboxRelayLoop;
import io.dataline.service.JdbcOutbox;
import io.dataline.service.OutboxPublisher;
import io.dataline.training.config.TrainingConfig;
import io.dataline.training.service.OutboxWritten;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * training-orchestrator's outbox relay: the shared loop over {@code outbox_event}, publishing to
 * {@code training.run-started}, {@code training.run-failed} and {@code model.registered} in the order written.
 */
@ApplicationScoped
public class OutboxRelay {

    public static final String RUN_STARTED_CHANNEL = "training-run-started";
    public static final String RUN_FAILED_CHANNEL = "training-run-failed";
    public static final String MODEL_REGISTERED_CHANNEL = "model-registered";
    private static final long ADVISORY_LOCK = 0x44_4C_54_52_41_49_4E_31L; // "DLTRAIN1"

    private final OutboxRelayLoop loop;

    OutboxRelay(@Channel(RUN_STARTED_CHANNEL) Emitter<PipelineEvent> started, @Channel(RUN_FAILED_CHANNEL) Emitter<PipelineEvent> failed,
            @Channel(MODEL_REGISTERED_CHANNEL) Emitter<PipelineEvent> registered, AgroalDataSource dataSource, TrainingConfig config) {
        OutboxPublisher publisher = new OutboxPublisher(Map.of(Topics.TRAINING_RUN_STARTED, started, Topics.TRAINING_RUN_FAILED, failed,
                Topics.MODEL_REGISTERED, registered));
        loop = new OutboxRelayLoop("training-outbox-relay", new JdbcOutbox(dataSource), publisher, dataSource, ADVISORY_LOCK,
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
