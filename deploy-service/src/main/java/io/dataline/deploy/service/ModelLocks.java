package io.dataline.deploy.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One promotion of a model at a time, across threads and replicas: a PostgreSQL session advisory lock per model, held
 * on a connection of its own from the gates to the alias move (cluster rollout included). Whoever moves an alias holds
 * it, so the staging version the gates compared against is still the one the alias moves from. When the holder's
 * process dies its session ends and the lock is free: a free lock with a pending intent means that intent's process is
 * gone ({@code ClusterReconciler}). The lock space (two-int form, class {@value #LOCK_CLASS}) is apart from the
 * transaction locks of {@code ModelStageRepository.lock}.
 */
@ApplicationScoped
public class ModelLocks {

    static final int LOCK_CLASS = 0x50524F4D; // "PROM"
    private static final Logger LOG = Logger.getLogger(ModelLocks.class);

    @Inject
    AgroalDataSource dataSource;

    /** A held lock; closing it releases the lock and returns the connection. */
    public final class Held implements AutoCloseable {
        private final Connection connection;
        private final String model;

        private Held(Connection connection, String model) {
            this.connection = connection;
            this.model = model;
        }

        @Override
        public void close() {
            boolean released = false;
            try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                unlock.setInt(1, LOCK_CLASS);
                unlock.setInt(2, model.hashCode());
                try (ResultSet row = unlock.executeQuery()) {
                    released = row.next() && row.getBoolean(1);
                }
            } catch (SQLException e) {
                // the session is gone (the database restarted), and its locks with it
                LOG.debugf("releasing the promotion lock of %s: %s", model, e.getMessage());
            }
            if (!released) {
                // a broken session: the pool's validation discards the connection, and its locks end with it
                LOG.debugf("the promotion lock of %s was not held any more when released", model);
            }
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("closing the promotion lock's connection of %s: %s", model, e.getMessage());
            }
        }
    }

    /** The lock if it is free now. */
    public Optional<Held> tryAcquire(String model) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            if (take(connection, model)) {
                return Optional.of(new Held(connection, model));
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("cannot take the promotion lock of " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits for the lock, at most {@code wait} (null: until it is free or the thread is interrupted); empty when the wait
     * ran out.
     */
    public Optional<Held> acquire(String model, Duration wait) throws InterruptedException {
        long deadline = wait == null ? Long.MAX_VALUE : System.nanoTime() + wait.toNanos();
        long pause = 20;
        while (true) {
            Optional<Held> held = tryAcquire(model);
            if (held.isPresent()) {
                return held;
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 250);
        }
    }

    private static boolean take(Connection connection, String model) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setInt(2, model.hashCode());
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to release
            }
        }
    }
}
