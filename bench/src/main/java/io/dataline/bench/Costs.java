package io.dataline.bench;

import io.dataline.local.RunningStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;

/**
 * What the local stack has used so far, read from the outside: CPU time of each service's process, bytes on disk of
 * the databases (dataset-service's alone, and all of them), the chunks' stored bytes, WAL bytes PostgreSQL has
 * written, and the bytes of the broker's logs. The difference of two samples is what happened between them.
 */
final class Costs implements AutoCloseable {

    /**
     * One reading: taken from {@code startNanos} (when the clock and the CPU times are read) to {@code endNanos} (after
     * the database and broker queries, which can take a second on a large chunk table); the difference of two samples
     * spans from the end of the earlier to the start of the later, so no query is inside a timed window.
     */
    record Sample(long startNanos, long endNanos, Map<String, Double> cpuSeconds, long datasetDatabaseBytes, long databaseBytes, long chunkBytes,
            long walBytes, long brokerBytes) {

        double cpu(String service) {
            return cpuSeconds.getOrDefault(service, 0.0);
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        /** The same costs over a window timed more closely than the samples' ({@link System#nanoTime} of this JVM). */
        Sample timed(long fromNanos, long toNanos) {
            return new Sample(fromNanos, toNanos, cpuSeconds, datasetDatabaseBytes, databaseBytes, chunkBytes, walBytes, brokerBytes);
        }

        /** What happened from {@code earlier} to this sample (CPU per service, bytes, seconds). */
        Sample since(Sample earlier) {
            Map<String, Double> cpu = new TreeMap<>();
            cpuSeconds.forEach((service, seconds) -> cpu.put(service, seconds - earlier.cpu(service)));
            return new Sample(earlier.endNanos, startNanos, cpu, datasetDatabaseBytes - earlier.datasetDatabaseBytes, databaseBytes - earlier.databaseBytes,
                    chunkBytes - earlier.chunkBytes, walBytes - earlier.walBytes, brokerBytes - earlier.brokerBytes);
        }
    }

    private final RunningStack stack;
    private final Connection db;
    private final Admin admin;
    private final int broker;

    Costs(RunningStack stack) throws SQLException, ExecutionException, InterruptedException {
        this.stack = stack;
        this.db = DriverManager.getConnection(stack.jdbcUrl("dataset_service"), "postgres", "");
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        this.admin = Admin.create(props);
        this.broker = admin.describeCluster().nodes().get().iterator().next().id();
    }

    Sample sample() throws SQLException, ExecutionException, InterruptedException {
        long start = System.nanoTime();
        Map<String, Double> cpu = new TreeMap<>();
        for (String service : stack.services()) {
            stack.cpuSeconds(service).ifPresent(seconds -> cpu.put(service, seconds));
        }
        long[] database = new long[4];
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery("SELECT pg_database_size(current_database()), "
                + "(SELECT sum(pg_database_size(datname)) FROM pg_database WHERE datallowconn AND datname NOT IN ('postgres', 'template1')), "
                + "(SELECT coalesce(sum(pg_column_size(data)), 0) FROM chunk), "
                + "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            row.next();
            for (int i = 0; i < 4; i++) {
                database[i] = row.getLong(i + 1);
            }
        }
        long brokerBytes = 0;
        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(broker)).allDescriptions().get().get(broker);
        for (LogDirDescription dir : dirs.values()) {
            brokerBytes += dir.replicaInfos().values().stream().mapToLong(replica -> replica.size()).sum();
        }
        return new Sample(start, System.nanoTime(), cpu, database[0], database[1], database[2], database[3], brokerBytes);
    }

    @Override
    public void close() throws SQLException {
        admin.close();
        db.close();
    }
}
