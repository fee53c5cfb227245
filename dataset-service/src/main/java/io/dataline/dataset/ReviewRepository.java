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

/** The {@code pull_review} and {@code branch_protection} tables, plain JDBC in the caller's transaction. */
@ApplicationScoped
public class ReviewRepository {

    /** One key's latest verdict on a pull request and the version of {@code from} it reviewed. */
    public record Review(String reviewerKey, String reviewer, String verdict, String comment, String reviewedVersion, Instant at) {
    }

    @Inject
    AgroalDataSource dataSource;

    /** Records a key's verdict, replacing its earlier one. */
    public void upsert(long datasetId, int number, Review review) {
        update("INSERT INTO pull_review (dataset_id, number, reviewer_key, reviewer, verdict, comment, reviewed_version, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dataset_id, number, reviewer_key) DO UPDATE SET reviewer = excluded.reviewer, "
                + "verdict = excluded.verdict, comment = excluded.comment, reviewed_version = excluded.reviewed_version, "
                + "created_at = excluded.created_at", s -> {
                    s.setLong(1, datasetId);
                    s.setInt(2, number);
                    s.setString(3, review.reviewerKey());
                    s.setString(4, review.reviewer());
                    s.setString(5, review.verdict());
                    s.setString(6, review.comment());
                    s.setString(7, review.reviewedVersion());
                    s.setTimestamp(8, Timestamp.from(review.at()));
                });
    }

    public List<Review> reviews(long datasetId, int number) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT reviewer_key, reviewer, verdict, comment, reviewed_version, created_at FROM pull_review "
                        + "WHERE dataset_id = ? AND number = ? ORDER BY created_at")) {
            query.setLong(1, datasetId);
            query.setInt(2, number);
            List<Review> reviews = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    reviews.add(new Review(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                            rows.getTimestamp(6).toInstant()));
                }
            }
            return reviews;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read reviews", e);
        }
    }

    /** A branch's protection: the approvals a merge into it needs, and whether its checks must have succeeded. */
    public record BranchProtection(int requiredApprovals, boolean requireChecks) {
    }

    /** The protection of a branch, when it is protected. */
    public Optional<BranchProtection> protection(long datasetId, String branch) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT required_approvals, require_checks FROM branch_protection WHERE dataset_id = ? AND branch = ?")) {
            query.setLong(1, datasetId);
            query.setString(2, branch);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(new BranchProtection(rows.getInt(1), rows.getBoolean(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read branch protection", e);
        }
    }

    /** Protects a branch with {@code approvals} required (null: lifts the protection) and, if asked, successful checks. */
    public void protect(long datasetId, String branch, Integer approvals, boolean requireChecks, String by) {
        if (approvals == null) {
            update("DELETE FROM branch_protection WHERE dataset_id = ? AND branch = ?", s -> {
                s.setLong(1, datasetId);
                s.setString(2, branch);
            });
            return;
        }
        update("INSERT INTO branch_protection (dataset_id, branch, required_approvals, require_checks, updated_at, updated_by) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dataset_id, branch) DO UPDATE SET required_approvals = excluded.required_approvals, "
                + "require_checks = excluded.require_checks, updated_at = excluded.updated_at, updated_by = excluded.updated_by", s -> {
                    s.setLong(1, datasetId);
                    s.setString(2, branch);
                    s.setInt(3, approvals);
                    s.setBoolean(4, requireChecks);
                    s.setTimestamp(5, Timestamp.from(Instant.now()));
                    s.setString(6, by);
                });
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write reviews or protection: " + e.getMessage(), e);
        }
    }
}
