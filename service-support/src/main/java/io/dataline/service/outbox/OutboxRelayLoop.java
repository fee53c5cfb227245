package io.dataline.service.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The transactional outbox's relay, shared by every service: publishes unsent rows in the order they were written
 * and marks each sent once the broker has acknowledged it. {@link #wake()} after a transaction that wrote rows makes
 * an event leave within milliseconds; a poll is the safety net. When the broker is down the relay backs off and
 * retries the oldest unsent row, so order is kept; delivery is at least once (consumers are idempotent). A
 * PostgreSQL advisory lock, held on a dedicated connection, lets one replica relay at a time.
 */
public final class OutboxRelayLoop {

    /** One outbox row. */
    public record Row(long id, UUID eventId, String topic, String key, String payload, String traceparent) {
    }

    /** The service's outbox table. Each call runs in its own transaction. */
    public interface Rows {
        List<Row> unsent(int limit);

        void markSent(long id);
    }

    /** Sends one row; the stage completes on the broker's acknowledgement and fails if it refused. */
    public interface Sender {
        CompletionStage<Void> send(Row row);
    }

    private static final Logger LOG = Logger.getLogger(OutboxRelayLoop.class.getName());
    private static final int BATCH = 100;

    private final String name;
    private final Rows rows;
    private final Sender sender;
    private final DataSource lockSource;
    private final long lockId;
    private final Duration pollInterval;
    private final Duration ackTimeout;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;
    private Connection lockConnection;

    public OutboxRelayLoop(String name, Rows rows, Sender sender, DataSource lockSource, long lockId, Duration pollInterval,
            Duration ackTimeout) {
        this.name = name;
        this.rows = rows;
        this.sender = sender;
        this.lockSource = lockSource;
        this.lockId = lockId;
        this.pollInterval = pollInterval;
        this.ackTimeout = ackTimeout;
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() throws InterruptedException {
        running = false;
        wake.release();
        if (thread != null) {
            thread.join(10_000);
        }
        releaseLock();
    }

    /** Something was written: publish now rather than at the next poll. */
    public void wake() {
        wake.release();
    }

    private void loop() {
        int failures = 0;
        while (running) {
            try {
                wake.tryAcquire(failures == 0 ? pollInterval.toMillis() : backoff(failures), TimeUnit.MILLISECONDS);
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
                    LOG.log(Level.WARNING, name + ": events wait (attempt " + failures + "): " + e.getMessage());
                }
            }
        }
    }

    private static long backoff(int failures) {
        return Math.min(10_000L, 200L << Math.min(failures, 6));
    }

    private void relayPending() throws InterruptedException {
        while (running) {
            List<Row> batch = rows.unsent(BATCH);
            if (batch.isEmpty()) {
                return;
            }
            for (Row row : batch) {
                try {
                    sender.send(row).toCompletableFuture().get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("broker refused event " + row.eventId() + ": " + e.getCause().getMessage(), e);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("no broker acknowledgement for event " + row.eventId() + " yet");
                }
                rows.markSent(row.id());
            }
        }
    }

    private boolean holdsLock() {
        if (lockSource == null) {
            return true;
        }
        try {
            if (lockConnection != null && lockConnection.isValid(2)) {
                return true;
            }
            releaseLock();
            Connection connection = lockSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, lockId);
                try (ResultSet result = lock.executeQuery()) {
                    if (result.next() && result.getBoolean(1)) {
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
        if (lockConnection == null) {
            return;
        }
        // A pool keeps sessions open, so the lock is released explicitly before the connection goes back.
        try (PreparedStatement unlock = lockConnection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, lockId);
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
