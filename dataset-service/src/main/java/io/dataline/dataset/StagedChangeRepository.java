package io.dataline.dataset;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code staged_change} table: a dataset's working area, one row per key (upsert with its canonical record, or
 * delete). Plain JDBC, batched, because one request may stage a million rows.
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

    @Inject
    AgroalDataSource dataSource;

    /** A batch writer for one request, in the caller's transaction. */
    public Writer writer(long datasetId) {
        return new Writer(datasetId);
    }

    public Optional<StagedChange> find(long datasetId, byte[] key) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT op, record FROM staged_change WHERE dataset_id = ? AND record_key = ?")) {
            query.setLong(1, datasetId);
            query.setBytes(2, key);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(new StagedChange(key, "D".equals(rows.getString(1)) ? null : rows.getBytes(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read staged changes", e);
        }
    }

    public Counts counts(long datasetId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FILTER (WHERE op = 'U'), count(*) FILTER (WHERE op = 'D') FROM staged_change WHERE dataset_id = ?")) {
            query.setLong(1, datasetId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return new Counts(rows.getLong(1), rows.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count staged changes", e);
        }
    }

    /** Streams the staged changes in key order (bytea order is unsigned byte order, the tree's key order). */
    public void forEachInKeyOrder(long datasetId, Consumer<StagedChange> action) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT record_key, op, record FROM staged_change WHERE dataset_id = ? ORDER BY record_key")) {
            query.setFetchSize(2000);
            query.setLong(1, datasetId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    action.accept(new StagedChange(rows.getBytes(1), "D".equals(rows.getString(2)) ? null : rows.getBytes(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read staged changes", e);
        }
    }

    public long clear(long datasetId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM staged_change WHERE dataset_id = ?")) {
            delete.setLong(1, datasetId);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot discard staged changes", e);
        }
    }

    /** Batched upserts, deletes and un-stagings of one request. */
    public final class Writer implements AutoCloseable {
        private static final int BATCH = 1000;
        private final long datasetId;
        private Connection connection;
        private PreparedStatement put;
        private PreparedStatement remove;
        private int pending;

        private Writer(long datasetId) {
            this.datasetId = datasetId;
        }

        /** Stages an upsert (record != null) or a delete (record == null). */
        public void stage(byte[] key, byte[] record) {
            try {
                open();
                put.setLong(1, datasetId);
                put.setBytes(2, key);
                put.setString(3, record == null ? "D" : "U");
                put.setBytes(4, record);
                put.addBatch();
                batched();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot stage a change", e);
            }
        }

        /** Removes whatever is staged for the key (the change was undone). */
        public void unstage(byte[] key) {
            try {
                open();
                remove.setLong(1, datasetId);
                remove.setBytes(2, key);
                remove.addBatch();
                batched();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot unstage a change", e);
            }
        }

        private void open() throws SQLException {
            if (connection == null) {
                connection = dataSource.getConnection();
                put = connection.prepareStatement("INSERT INTO staged_change (dataset_id, record_key, op, record) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (dataset_id, record_key) DO UPDATE SET op = EXCLUDED.op, record = EXCLUDED.record");
                remove = connection.prepareStatement("DELETE FROM staged_change WHERE dataset_id = ? AND record_key = ?");
            }
        }

        private void batched() throws SQLException {
            if (++pending >= BATCH) {
                flush();
            }
        }

        public void flush() {
            if (connection == null || pending == 0) {
                return;
            }
            try {
                put.executeBatch();
                remove.executeBatch();
                pending = 0;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot stage changes", e);
            }
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
