package io.dataline.dataset;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code branch} and {@code tag} tables: a dataset's named references to versions. Plain JDBC in the caller's
 * transaction (a branch head moves in the same transaction as the commit that moves it).
 */
@ApplicationScoped
public class RefRepository {

    /** A branch or a tag: its name, the version it names, where it came from (branches) and who made it when. */
    public record Ref(String name, String version, String createdFrom, Instant createdAt, String createdBy) {
    }

    /** Which table: branches move, tags never do. */
    public enum Kind {
        BRANCH("branch", "head"), TAG("tag", "version_hash");

        final String table;
        final String column;

        Kind(String table, String column) {
            this.table = table;
            this.column = column;
        }
    }

    @Inject
    AgroalDataSource dataSource;

    public Optional<Ref> find(Kind kind, long datasetId, String name) {
        List<Ref> found = query(kind, "WHERE dataset_id = ? AND name = ?", datasetId, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Every ref of a kind, by name. */
    public List<Ref> list(Kind kind, long datasetId) {
        return query(kind, "WHERE dataset_id = ? ORDER BY name", datasetId, null);
    }

    public void insert(Kind kind, long datasetId, Ref ref) {
        String from = kind == Kind.BRANCH ? ", created_from" : "";
        update("INSERT INTO " + kind.table + " (dataset_id, name, " + kind.column + from + ", created_at, created_by) VALUES (?, ?, ?"
                + (kind == Kind.BRANCH ? ", ?" : "") + ", ?, ?)", statement -> {
                    int i = 1;
                    statement.setLong(i++, datasetId);
                    statement.setString(i++, ref.name());
                    statement.setString(i++, ref.version());
                    if (kind == Kind.BRANCH) {
                        statement.setString(i++, ref.createdFrom());
                    }
                    statement.setTimestamp(i++, Timestamp.from(ref.createdAt()));
                    statement.setString(i, ref.createdBy());
                });
    }

    /** Moves a branch's head; false when there is no such branch. */
    public boolean moveBranch(long datasetId, String name, String head) {
        return update("UPDATE branch SET head = ? WHERE dataset_id = ? AND name = ?", statement -> {
            statement.setString(1, head);
            statement.setLong(2, datasetId);
            statement.setString(3, name);
        }) == 1;
    }

    public boolean deleteBranch(long datasetId, String name) {
        return update("DELETE FROM branch WHERE dataset_id = ? AND name = ?", statement -> {
            statement.setLong(1, datasetId);
            statement.setString(2, name);
        }) == 1;
    }

    /** The heads of every branch but {@code main} (distinct versions a schema change must still accept). */
    public List<String> branchHeads(long datasetId) {
        return list(Kind.BRANCH, datasetId).stream().map(Ref::version).distinct().toList();
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write refs: " + e.getMessage(), e);
        }
    }

    private List<Ref> query(Kind kind, String where, long datasetId, String name) {
        String sql = "SELECT name, " + kind.column + ", " + (kind == Kind.BRANCH ? "created_from" : "NULL") + ", created_at, created_by FROM "
                + kind.table + " " + where;
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, datasetId);
            if (name != null) {
                statement.setString(2, name);
            }
            List<Ref> refs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    refs.add(new Ref(rows.getString(1), rows.getString(2), rows.getString(3), rows.getTimestamp(4).toInstant(), rows.getString(5)));
                }
            }
            return refs;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read refs: " + e.getMessage(), e);
        }
    }
}
