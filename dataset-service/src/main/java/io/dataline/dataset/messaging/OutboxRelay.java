package io.dataline.dataset.messaging;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.OutboxEvent;
import io.dataline.dataset.OutboxEventRepository;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.Topics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows in the order they were written and marks each sent once the broker has acknowledged it.
 * Woken by every committed transaction that wrote a row (so an event leaves within milliseconds), and by a poll as a
 * safety net. When the broker is down, events wait: the relay backs off and retries the oldest unsent row, so order
 * is kept. Delivery is at least once (a crash between the acknowledgement and the mark publishes again; consumers
 * are idempotent). One relay per database: a PostgreSQL advisory lock keeps other replicas waiting.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long ADVISORY_LOCK = 0x44_4C_4F_55_54_42_4F_58L; // "DLOUTBOX"
    private static final int BATCH = 100;

    private final OutboxEventRepository outbox;
    private final DatasetCommittedPublisher publisher;
    private final AgroalDataSource dataSource;
    private final DatasetServiceConfig config;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;
    private Connection lockConnection;

    OutboxRelay(OutboxEventRepository outbox, DatasetCommittedPublisher publisher, AgroalDataSource dataSource, DatasetServiceConfig config) {
        this.outbox = outbox;
        this.publisher = publisher;
        this.dataSource = dataSource;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wake.release();
        if (thread != null) {
            thread.join(10_000);
        }
        releaseLock();
    }

    void written(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten event) {
        wake.release();
    }

    private void loop() {
        int failures = 0;
        while (running) {
            try {
                wake.tryAcquire(failures == 0 ? config.relay().pollInterval().toMillis() : backoff(failures), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                if (!running) {
                    return;
                }
                if (holdsLock()) {
                    relayPending();
                }
                failures = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures++;
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warnf("outbox relay: events wait (attempt %d): %s", failures, e.getMessage());
                }
            }
        }
    }

    private static long backoff(int failures) {
        return Math.min(10_000L, 200L << Math.min(failures, 6));
    }

    /** Publishes every unsent row in id order; stops at the first one the broker does not acknowledge. */
    void relayPending() throws InterruptedException {
        while (running) {
            List<OutboxEvent> batch = QuarkusTransaction.requiringNew().call(() -> outbox.unsent(BATCH));
            if (batch.isEmpty()) {
                return;
            }
            for (OutboxEvent row : batch) {
                publish(row);
                Long id = row.id;
                QuarkusTransaction.requiringNew().run(() -> outbox.update("sentAt = ?1 where id = ?2", Instant.now(), id));
            }
        }
    }

    private void publish(OutboxEvent row) throws InterruptedException {
        if (!Topics.DATASET_COMMITTED.equals(row.topic)) {
            throw new IllegalStateException("outbox row " + row.id + " is for unknown topic " + row.topic);
        }
        try {
            DatasetCommittedEvent event = EventJson.mapper().readValue(row.payload, DatasetCommittedEvent.class);
            Duration timeout = config.relay().ackTimeout();
            publisher.publish(event, row.traceparent).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("broker refused event " + row.eventId + ": " + e.getCause().getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no broker acknowledgement for event " + row.eventId + " yet");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("outbox row " + row.id + " is not a DatasetCommittedEvent", e);
        }
    }

    private boolean holdsLock() {
        try {
            if (lockConnection != null && lockConnection.isValid(2)) {
                return true;
            }
            releaseLock();
            Connection connection = dataSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, ADVISORY_LOCK);
                try (ResultSet rows = lock.executeQuery()) {
                    if (rows.next() && rows.getBoolean(1)) {
                        lockConnection = connection;
                        return true;
                    }
                }
            }
            connection.close();
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the relay lock: " + e.getMessage(), e);
        }
    }

    private void releaseLock() {
        if (lockConnection != null) {
            // The pool keeps sessions open, so the lock is released explicitly before the connection goes back.
            try (PreparedStatement unlock = lockConnection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, ADVISORY_LOCK);
                unlock.execute();
            } catch (SQLException ignored) {
                // a broken session has lost the lock already
            }
            try {
                lockConnection.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
            lockConnection = null;
        }
    }
}
