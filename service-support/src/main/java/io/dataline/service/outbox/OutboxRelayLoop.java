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
import org.apache.kafka.common.errors.RetriableException;

/**
 * The transactional outbox's relay, shared by every service: publishes unsent rows in the order they were written
 * and marks each sent once the broker has acknowledged it. {@link #wake()} after a transaction that wrote rows makes
 * an event leave within milliseconds; a poll is the safety net. When the broker is down the relay backs off and
 * retries the oldest unsent row, so order is kept; delivery is at least once (consumers are idempotent). A row the
 * broker refuses for good (not a retriable error) is parked after {@code maxAttempts} refusals, and the rows behind it
 * of other topics or keys go on; rows of its topic and key wait behind it until it is replayed (per-key order). A
 * PostgreSQL advisory lock, held on a dedicated connection (on which the relay reads its rows, so that a read also proves
 * the lock is still held), lets one replica relay at a time. Published rows are
 * deleted once they are older than the retention ({@code dataline.relay.retention}), checked hourly.
 */
public final class OutboxRelayLoop {

    /** One outbox row. */
    public record Row(long id, UUID eventId, String topic, String key, String payload, String traceparent) {
    }

    /** The service's outbox table. Each call runs in its own transaction. */
    public interface Rows {
        /**
         * The next unsent rows in write order, read on {@code session} when one is given (the relay's lock session: a
         * read on it also proves the lock is still held), else on a connection of the table's own.
         */
        List<Row> unsent(Connection session, int limit);

        void markSent(long id);

        /**
         * Records that the broker refused the row for good; parks it once it failed {@code maxAttempts} times. True when
         * it is parked now.
         */
        boolean failed(long id, String error, int maxAttempts);

        /** Deletes rows published more than {@code retention} ago; how many. Unpublished rows are never deleted. */
        int prune(Duration retention);
    }

    /** Sends one row; the stage completes on the broker's acknowledgement and fails if it refused. */
    public interface Sender {
        CompletionStage<Void> send(Row row);
    }

    private static final Logger LOG = Logger.getLogger(OutboxRelayLoop.class.getName());
    private static final int BATCH = 100;
    /**
     * How long a read on the lock session may wait for PostgreSQL: a session whose server is gone without a word (a
     * failover, a dropped network path) fails the read after this, instead of hanging the relay until the kernel gives
     * up on the socket (~15 minutes); the lock is then taken anew.
     */
    static final int LOCK_SESSION_TIMEOUT_MILLIS = 10_000;

    private final String name;
    private final Rows rows;
    private final Sender sender;
    private final DataSource lockSource;
    private final long lockId;
    private final Duration pollInterval;
    private final Duration ackTimeout;
    private final Duration retention;
    private final int maxAttempts;
    private long nextPrune = System.nanoTime();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;
    private Connection lockConnection;

    public OutboxRelayLoop(String name, Rows rows, Sender sender, DataSource lockSource, long lockId, Duration pollInterval,
            Duration ackTimeout, Duration retention, int maxAttempts) {
        this.name = name;
        this.rows = rows;
        this.sender = sender;
        this.lockSource = lockSource;
        this.lockId = lockId;
        this.pollInterval = pollInterval;
        this.ackTimeout = ackTimeout;
        this.retention = retention;
        this.maxAttempts = maxAttempts;
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
                    pruneNowAndThen();
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

    /** At most once an hour: published rows older than the retention go, so the table holds the backlog, not history. */
    private void pruneNowAndThen() {
        if (System.nanoTime() - nextPrune >= 0) {
            nextPrune = System.nanoTime() + Duration.ofHours(1).toNanos();
            int pruned = rows.prune(retention);
            if (pruned > 0) {
                LOG.log(Level.FINE, name + ": pruned " + pruned + " published outbox rows older than " + retention);
            }
        }
    }

    private static long backoff(int failures) {
        return Math.min(10_000L, 200L << Math.min(failures, 6));
    }

    private void relayPending() throws InterruptedException {
        while (running) {
            List<Row> batch = unsent();
            if (batch.isEmpty()) {
                return;
            }
            for (Row row : batch) {
                try {
                    sender.send(row).toCompletableFuture().get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RetriableException) {
                        throw new IllegalStateException("broker refused event " + row.eventId() + " for now: " + cause.getMessage(), e);
                    }
                    if (rows.failed(row.id(), cause.toString(), maxAttempts)) {
                        LOG.log(Level.WARNING, name + ": parked event " + row.eventId() + " (" + row.topic() + ", key " + row.key()
                                + ") after " + maxAttempts + " refusals: " + cause + "; later events of other keys go on");
                        break; // query again: later rows of this key now wait behind the parked one
                    }
                    throw new IllegalStateException("broker refused event " + row.eventId() + ": " + cause.getMessage(), e);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("no broker acknowledgement for event " + row.eventId() + " yet");
                }
                rows.markSent(row.id());
            }
        }
    }

    /**
     * The rows to relay, read on the lock's own session: when that session is gone, so is the lock (another replica may
     * hold it now), and the read fails instead of answering; the session is let go and the lock taken anew before the
     * next pass. One round trip ahead of each send, where a separate liveness check of the session would be two.
     */
    private List<Row> unsent() {
        try {
            return rows.unsent(lockConnection, BATCH);
        } catch (RuntimeException e) {
            releaseLock();
            throw e;
        }
    }

    private boolean holdsLock() {
        if (lockSource == null || lockConnection != null) {
            return true; // a lock session that died is found by the next read on it (unsent)
        }
        Connection connection = null;
        try {
            connection = lockSource.getConnection();
            connection.setAutoCommit(true); // the reads on this session (unsent) must not hold a transaction open
            connection.setNetworkTimeout(Runnable::run, LOCK_SESSION_TIMEOUT_MILLIS); // undone when it goes back (giveBack)
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, lockId);
                try (ResultSet result = lock.executeQuery()) {
                    if (result.next() && result.getBoolean(1)) {
                        lockConnection = connection;
                        return true;
                    }
                }
            }
            giveBack(connection);
            return false;
        } catch (SQLException e) {
            giveBack(connection);
            throw new IllegalStateException("cannot take the relay lock: " + e.getMessage(), e);
        }
    }

    /** Returns a session to the pool as it was lent (no network timeout); a broken one is not reused by the pool. */
    private static void giveBack(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.setNetworkTimeout(Runnable::run, 0);
        } catch (SQLException ignored) {
            // a broken session is not reused
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more to release
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
        giveBack(lockConnection);
        lockConnection = null;
    }
}
