package io.dataline.dataset.chunks;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.dataset.versioning.Hash;
import io.dataline.service.Periodic;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Deletes objects in the chunk bucket that no chunk row points to: uploads of commits that then failed, and objects
 * whose chunk {@code chunks migrate --to postgres} moved back into the database. Every {@code dataline.chunks.sweep.every}
 * on each replica (harmless twice over), objects older than the grace period only. Each batch is checked and deleted
 * while holding {@link S3Chunks#SWEEP_LOCK} alone, so a chunk whose commit is still in flight (holding it shared) is
 * never among them; a batch that cannot get it at once is left for the next round rather than holding up commits.
 */
@ApplicationScoped
public class ChunkSweeper {

    private static final Logger LOG = Logger.getLogger(ChunkSweeper.class);
    private static final int BATCH = 1000;

    @Inject
    ChunkStorage storage;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DatasetServiceConfig config;

    private Periodic timer;

    /** What one sweep did: objects looked at, deleted, and left for later because commits held the lock. */
    public record Swept(long examined, long deleted, long deferred) {
    }

    void start(@Observes StartupEvent event) {
        Duration every = config.chunks().sweep().every();
        if (storage.objectsIfConfigured().isPresent() && !every.isZero() && !every.isNegative()) {
            timer = Periodic.start("chunk-sweeper", every, every, () -> {
                Swept swept = sweep(config.chunks().sweep().grace());
                if (swept.deleted() > 0) {
                    LOG.infof("swept %d unreferenced chunk object(s) of %d", swept.deleted(), swept.examined());
                }
            }, LOG);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.stop();
        }
    }

    /** One sweep of the whole bucket prefix; objects last written within {@code grace} are kept whatever they are. */
    public Swept sweep(Duration grace) {
        S3Chunks objects = storage.objects();
        Instant cutoff = Instant.now().minus(grace);
        List<Hash> candidates = new ArrayList<>();
        long[] counts = new long[3];
        objects.list((hash, modified) -> {
            counts[0]++;
            if (!modified.isAfter(cutoff)) {
                candidates.add(hash);
                if (candidates.size() == BATCH) {
                    settle(objects, candidates, counts);
                    candidates.clear();
                }
            }
        });
        settle(objects, candidates, counts);
        return new Swept(counts[0], counts[1], counts[2]);
    }

    /** Deletes the objects among these whose chunk rows do not point to object storage; returns how many. */
    public long deleteUnreferenced(List<Hash> hashes) {
        long[] counts = new long[3];
        for (int from = 0; from < hashes.size(); from += BATCH) {
            settle(storage.objects(), hashes.subList(from, Math.min(hashes.size(), from + BATCH)), counts);
        }
        return counts[1];
    }

    private void settle(S3Chunks objects, List<Hash> batch, long[] counts) {
        if (batch.isEmpty()) {
            return;
        }
        Long deleted = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                if (!lockAlone(connection)) {
                    return null;
                }
                Set<Hash> referenced = new HashSet<>();
                try (PreparedStatement query = connection.prepareStatement("SELECT hash FROM chunk WHERE hash = ANY (?) AND data IS NULL")) {
                    query.setArray(1, connection.createArrayOf("bytea", batch.stream().map(Hash::bytes).toArray(byte[][]::new)));
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            referenced.add(Hash.of(rows.getBytes(1)));
                        }
                    }
                }
                List<Hash> unreferenced = batch.stream().filter(hash -> !referenced.contains(hash)).toList();
                objects.delete(unreferenced);
                return (long) unreferenced.size();
            }
        });
        if (deleted == null) {
            counts[2] += batch.size();
        } else {
            counts[1] += deleted;
        }
    }

    /** The sweep lock alone, within about 5 s (a commit holds it shared from its first chunk to its end). */
    private static boolean lockAlone(Connection connection) throws SQLException, InterruptedException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, S3Chunks.SWEEP_LOCK);
            for (int attempt = 0; attempt < 50; attempt++) {
                try (ResultSet row = lock.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        return true;
                    }
                }
                Thread.sleep(100);
            }
        }
        return false;
    }
}
