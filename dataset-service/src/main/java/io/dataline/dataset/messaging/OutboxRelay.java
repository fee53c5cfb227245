package io.dataline.dataset.messaging;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.OutboxEventRepository;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.Topics;
import io.dataline.events.outbox.OutboxRelayLoop;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * dataset-service's outbox relay: the shared {@link OutboxRelayLoop} over the {@code outbox_event} table, sending
 * {@code dataset.committed} rows through {@link DatasetCommittedPublisher}, woken by every committed transaction
 * that wrote a row.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final long ADVISORY_LOCK = 0x44_4C_4F_55_54_42_4F_58L; // "DLOUTBOX"

    private final OutboxRelayLoop loop;

    OutboxRelay(OutboxEventRepository outbox, DatasetCommittedPublisher publisher, AgroalDataSource dataSource,
            DatasetServiceConfig config) {
        OutboxRelayLoop.Rows rows = new OutboxRelayLoop.Rows() {
            @Override
            public List<OutboxRelayLoop.Row> unsent(int limit) {
                return QuarkusTransaction.requiringNew().call(() -> outbox.unsent(limit).stream()
                        .map(e -> new OutboxRelayLoop.Row(e.id, e.eventId, e.topic, e.recordKey, e.payload, e.traceparent)).toList());
            }

            @Override
            public void markSent(long id) {
                QuarkusTransaction.requiringNew().run(() -> outbox.update("sentAt = ?1 where id = ?2", Instant.now(), id));
            }
        };
        this.loop = new OutboxRelayLoop("outbox-relay", rows, row -> send(publisher, row), dataSource, ADVISORY_LOCK,
                config.relay().pollInterval(), config.relay().ackTimeout());
    }

    private static CompletionStage<Void> send(DatasetCommittedPublisher publisher, OutboxRelayLoop.Row row) {
        if (!Topics.DATASET_COMMITTED.equals(row.topic())) {
            return CompletableFuture.failedFuture(new IllegalStateException("outbox row " + row.id() + " is for unknown topic " + row.topic()));
        }
        try {
            return publisher.publish(EventJson.mapper().readValue(row.payload(), DatasetCommittedEvent.class), row.traceparent());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("outbox row " + row.id() + " is not a DatasetCommittedEvent", e));
        }
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
