package io.dataline.dataset;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Reclaims the staging table after large discards. A staged change is a row that lives until its commit, a discard or
 * a later upload that undoes it deletes it, so a commit of a million staged records leaves a million dead rows in
 * {@code staged_change} and its primary-key index. Autovacuum takes up to a minute to notice them and then works throttled for many seconds; until it
 * is done, every read of that staging area walks past the dead entries (measured: the next commit of 1,000 changes
 * staged into the same dataset took ~1 s instead of ~0.2 s). So once the rows discarded since the last vacuum reach
 * {@code dataline.records.staging-vacuum-after}, this service runs {@code VACUUM (ANALYZE) staged_change} itself, on a
 * thread of its own, after the discarding transaction committed. VACUUM takes no lock that holds up staging or commits;
 * one that fails is logged and autovacuum stays the fallback. Discards of a transaction that rolls back do not count.
 */
@ApplicationScoped
public class StagedChangeVacuum {

    private static final Logger LOG = Logger.getLogger(StagedChangeVacuum.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    DatasetServiceConfig config;

    /** Rows discarded (in committed transactions) that no vacuum has been started for yet. */
    private final AtomicLong dead = new AtomicLong();

    /** Rows discarded in committed transactions since the service started. */
    private final AtomicLong counted = new AtomicLong();

    /** Discarded rows that a vacuum started after their discard has reclaimed, since the service started. */
    private final AtomicLong reclaimed = new AtomicLong();

    /** One vacuum at a time; of the tasks discards queue while one runs, the first takes every row, the rest find none. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "staged-change-vacuum");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * {@code rows} rows of {@code staged_change} were just deleted: in the current transaction, which they count for once
     * it commits, or (with none) by a statement that already committed.
     */
    public void discarded(long rows) {
        if (rows <= 0) {
            return;
        }
        if (transactions.getTransactionKey() == null) {
            add(rows);
        } else if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        add(rows);
                    }
                }
            });
        }
    }

    private void add(long rows) {
        counted.addAndGet(rows);
        long threshold = config.records().stagingVacuumAfter();
        if (threshold > 0 && dead.addAndGet(rows) >= threshold) {
            try {
                worker.execute(this::vacuum);
            } catch (RejectedExecutionException stopping) {
                // the service is stopping: autovacuum will get to it
            }
        }
    }

    private void vacuum() {
        long rows = dead.get();
        if (rows < config.records().stagingVacuumAfter()) {
            return; // a vacuum queued before this one already took them
        }
        dead.addAndGet(-rows);
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true); // VACUUM cannot run inside a transaction block
            }
            statement.execute("VACUUM (ANALYZE) staged_change");
            reclaimed.addAndGet(rows);
            LOG.infof("vacuumed the staging table after %,d discarded staged changes in %.0f ms", rows, (System.nanoTime() - started) / 1e6);
        } catch (SQLException e) {
            LOG.warnf("could not vacuum the staging table after %,d discarded staged changes (autovacuum will): %s", rows, e.getMessage());
        }
    }

    /** Rows discarded in committed transactions since the service started (tests). */
    long counted() {
        return counted.get();
    }

    /** Discarded rows a vacuum has reclaimed since the service started (tests). */
    long reclaimed() {
        return reclaimed.get();
    }

    void stop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }
}
