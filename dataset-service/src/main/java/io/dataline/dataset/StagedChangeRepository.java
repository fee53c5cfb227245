package io.dataline.dataset;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The {@code staged_change} table: a dataset's working areas (the shared one and its change sets), one row per area
 * and key (upsert with its canonical record, or delete). Plain JDBC, a thousand changes per statement, because one
 * request may stage a million rows.
 */
@ApplicationScoped
public class StagedChangeRepository {

    /** One staged change; {@code record} is null for a delete. */
    public record StagedChange(byte[] key, byte[] record) {
        public boolean isDelete() {
            return record == null;
        }
    }

    /** Counts of what is staged. */
    public record Counts(long upserts, long deletes) {
    }

    /**
     * One working area of a dataset and the branch it commits to: a branch's shared staging area ({@link #shared}), or
     * a change set that one API key owns.
     */
    public record Area(long datasetId, UUID changeSet, String branch) {
        /** The change set id of the default branch's shared area. */
        public static final UUID SHARED = new UUID(0, 0);

        /** The default branch: the dataset's own head. */
        public static final String MAIN = "main";

        public static Area shared(long datasetId) {
            return new Area(datasetId, SHARED, MAIN);
        }

        /** A branch's shared staging area: {@link #SHARED} for main, a fixed id derived from the name for the others. */
        public static Area shared(long datasetId, String branch) {
            return MAIN.equals(branch) ? shared(datasetId)
                    : new Area(datasetId, UUID.nameUUIDFromBytes(("branch/" + branch).getBytes(java.nio.charset.StandardCharsets.UTF_8)), branch);
        }

        public static Area changeSet(long datasetId, UUID id, String branch) {
            return new Area(datasetId, id, branch);
        }

        /** Whether this is a branch's shared area rather than a change set. */
        public boolean isShared() {
            return changeSet.equals(shared(datasetId, branch).changeSet());
        }

        void bind(PreparedStatement statement, int first) throws SQLException {
            statement.setLong(first, datasetId);
            statement.setObject(first + 1, changeSet);
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    StagedChangeVacuum vacuum;

    /** A batch writer for one request, in the caller's transaction. */
    public Writer writer(Area area) {
        return new Writer(area);
    }

    public Optional<StagedChange> find(Area area, byte[] key) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT op, record FROM staged_change WHERE dataset_id = ? AND change_set = ? AND record_key = ?")) {
            area.bind(query, 1);
            query.setBytes(3, key);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(new StagedChange(key, "D".equals(rows.getString(1)) ? null : rows.getBytes(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read staged changes", e);
        }
    }

    public Counts counts(Area area) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FILTER (WHERE op = 'U'), count(*) FILTER (WHERE op = 'D') "
                        + "FROM staged_change WHERE dataset_id = ? AND change_set = ?")) {
            area.bind(query, 1);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return new Counts(rows.getLong(1), rows.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count staged changes", e);
        }
    }

    /** Streams an area's staged changes in key order (bytea order is unsigned byte order, the tree's key order). */
    public void forEachInKeyOrder(Area area, Consumer<StagedChange> action) {
        forEach("SELECT record_key, op, record FROM staged_change WHERE dataset_id = ? AND change_set = ? ORDER BY record_key",
                statement -> area.bind(statement, 1), action);
    }

    /** Streams the staged changes of every area of a dataset (the shared one and every change set), in no order. */
    public void forEachInAnyArea(long datasetId, Consumer<StagedChange> action) {
        forEach("SELECT record_key, op, record FROM staged_change WHERE dataset_id = ?", statement -> statement.setLong(1, datasetId), action);
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private void forEach(String sql, Binder binder, Consumer<StagedChange> action) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setFetchSize(2000);
            binder.bind(query);
            byIndex(connection, () -> {
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        action.accept(new StagedChange(rows.getBytes(1), "D".equals(rows.getString(2)) ? null : rows.getBytes(3)));
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read staged changes", e);
        }
    }

    public long clear(Area area) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM staged_change WHERE dataset_id = ? AND change_set = ?")) {
            area.bind(delete, 1);
            long discarded = byIndex(connection, delete::executeUpdate);
            vacuum.discarded(discarded);
            return discarded;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot discard staged changes", e);
        }
    }

    private interface Statement<T> {
        T run() throws SQLException;
    }

    /**
     * Runs a statement that finds an area's rows so that PostgreSQL finds them by the primary key's index, not by
     * reading the whole table. The table keeps the pages of a large upload after its commit deleted the rows, until a
     * vacuum can truncate it, which it cannot while other uploads write to it; and with statistics that say most rows
     * belong to the area, the planner reads every page: after an upload of a million records, ~36,000 pages (45-100 ms)
     * for each commit of 1,000 changes. In a transaction (a commit) sequential scans are off for this statement alone
     * ({@code set_config} local to the transaction, set back after it); outside one the planner decides.
     */
    private static <T> T byIndex(Connection connection, Statement<T> statement) throws SQLException {
        if (connection.getAutoCommit()) {
            return statement.run();
        }
        String before;
        try (java.sql.Statement set = connection.createStatement();
                ResultSet previous = set.executeQuery("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")) {
            previous.next();
            before = previous.getString(1);
        }
        T result = statement.run();
        try (PreparedStatement reset = connection.prepareStatement("SELECT set_config('enable_seqscan', ?, true)")) {
            reset.setString(1, before);
            reset.executeQuery().close();
        }
        return result;
    }

    /**
     * Discards everything staged on a deleted branch: its shared area ({@code sharedArea}) and its change sets, which
     * end with it. Returns the number of staged changes discarded.
     */
    public long clearBranch(long datasetId, String branch, UUID sharedArea) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM staged_change WHERE dataset_id = ? AND (change_set = ? "
                        + "OR change_set IN (SELECT id FROM change_set WHERE dataset_id = ? AND branch = ?))");
                PreparedStatement sets = connection.prepareStatement("DELETE FROM change_set WHERE dataset_id = ? AND branch = ?")) {
            delete.setLong(1, datasetId);
            delete.setObject(2, sharedArea);
            delete.setLong(3, datasetId);
            delete.setString(4, branch);
            long discarded = delete.executeUpdate();
            vacuum.discarded(discarded);
            sets.setLong(1, datasetId);
            sets.setString(2, branch);
            sets.executeUpdate();
            return discarded;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot discard a branch's staged changes", e);
        }
    }

    /**
     * Upserts, deletes and un-stagings of one request, written a batch at a time: each batch's upserts as one
     * statement over arrays ({@code unnest}), its un-stagings as another, so PostgreSQL plans and runs two statements
     * per thousand changes rather than one per change. A key given twice in one batch flushes the batch first, so the
     * later change wins as it would one by one.
     */
    public final class Writer implements AutoCloseable {
        private static final int BATCH = 1000;
        private final Area area;
        private final List<byte[]> putKeys = new ArrayList<>();
        private final List<String> putOps = new ArrayList<>();
        private final List<byte[]> putRecords = new ArrayList<>();
        private final List<byte[]> removeKeys = new ArrayList<>();
        private final Set<ByteBuffer> pendingKeys = new HashSet<>();
        private Connection connection;
        private PreparedStatement put;
        private PreparedStatement remove;

        private Writer(Area area) {
            this.area = area;
        }

        /** Stages an upsert (record != null) or a delete (record == null). */
        public void stage(byte[] key, byte[] record) {
            pending(key);
            putKeys.add(key);
            putOps.add(record == null ? "D" : "U");
            putRecords.add(record);
            batched();
        }

        /** Removes whatever is staged for the key (the change was undone). */
        public void unstage(byte[] key) {
            pending(key);
            removeKeys.add(key);
            batched();
        }

        private void pending(byte[] key) {
            if (!pendingKeys.add(ByteBuffer.wrap(key))) {
                flush();
                pendingKeys.add(ByteBuffer.wrap(key));
            }
        }

        private void batched() {
            if (pendingKeys.size() >= BATCH) {
                flush();
            }
        }

        private void open() throws SQLException {
            if (connection == null) {
                connection = dataSource.getConnection();
                put = connection.prepareStatement("INSERT INTO staged_change (dataset_id, change_set, record_key, op, record) "
                        + "SELECT ?, ?, k, o, r FROM unnest(?::bytea[], ?::text[], ?::bytea[]) AS u (k, o, r) "
                        + "ON CONFLICT (dataset_id, change_set, record_key) DO UPDATE SET op = EXCLUDED.op, record = EXCLUDED.record");
                remove = connection.prepareStatement("DELETE FROM staged_change WHERE dataset_id = ? AND change_set = ? "
                        + "AND record_key = ANY (?::bytea[])");
            }
        }

        public void flush() {
            if (pendingKeys.isEmpty()) {
                return;
            }
            try {
                open();
                if (!putKeys.isEmpty()) {
                    area.bind(put, 1);
                    put.setArray(3, connection.createArrayOf("bytea", putKeys.toArray(new byte[0][])));
                    put.setArray(4, connection.createArrayOf("text", putOps.toArray(new String[0])));
                    put.setArray(5, connection.createArrayOf("bytea", putRecords.toArray(new byte[0][])));
                    put.executeUpdate();
                }
                if (!removeKeys.isEmpty()) {
                    area.bind(remove, 1);
                    remove.setArray(3, connection.createArrayOf("bytea", removeKeys.toArray(new byte[0][])));
                    vacuum.discarded(remove.executeUpdate());
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot stage changes", e);
            }
            putKeys.clear();
            putOps.clear();
            putRecords.clear();
            removeKeys.clear();
            pendingKeys.clear();
        }

        @Override
        public void close() {
            flush();
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
