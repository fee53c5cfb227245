package io.dataline.service.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dataline.events.EventJson;
import io.dataline.events.EventSchemas;
import io.dataline.events.EventType;
import io.dataline.events.PipelineEvent;
import io.dataline.service.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The relay's side of a service's {@code outbox_event} table (id, event_id, topic, record_key, payload, traceparent,
 * created_at, sent_at), read and marked in short autocommit statements of its own; and the check every event passes
 * before it is written: it must validate against its topic's schema, so a bad event fails the transaction that made
 * it instead of reaching the topic.
 */
public final class JdbcOutbox implements OutboxRelayLoop.Rows {

    private final DataSource dataSource;

    public JdbcOutbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An event ready for an outbox row: its topic and its JSON, checked against the topic's schema. */
    public record Serialized(UUID eventId, String topic, String payload) {
    }

    public static Serialized serialize(PipelineEvent event) {
        EventType type = EventType.forClass(event.getClass()).orElseThrow(() -> new IllegalArgumentException("not a pipeline event: " + event.getClass()));
        var violations = EventSchemas.validate(type, EventJson.mapper().valueToTree(event));
        if (!violations.isEmpty()) {
            throw new IllegalStateException(type.topic() + " event breaks its schema: " + violations);
        }
        try {
            return new Serialized(event.eventId(), type.topic(), EventJson.mapper().writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<OutboxRelayLoop.Row> unsent(Connection session, int limit) {
        if (session != null) {
            return unsentOn(session, limit);
        }
        try (Connection c = dataSource.getConnection()) {
            return unsentOn(c, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the outbox failed: " + e.getMessage(), e);
        }
    }

    private static List<OutboxRelayLoop.Row> unsentOn(Connection c, int limit) {
        try (PreparedStatement select = c.prepareStatement(
                     """
                     SELECT o.id, o.event_id, o.topic, o.record_key, o.payload, o.traceparent FROM outbox_event o
                     WHERE o.sent_at IS NULL AND o.parked_at IS NULL AND NOT EXISTS (SELECT 1 FROM outbox_event p
                         WHERE p.parked_at IS NOT NULL AND p.sent_at IS NULL AND p.topic = o.topic AND p.record_key = o.record_key AND p.id < o.id)
                     ORDER BY o.id LIMIT ?""")) {
            select.setInt(1, limit);
            List<OutboxRelayLoop.Row> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRelayLoop.Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the outbox failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean failed(long id, String error, int maxAttempts) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("""
                     UPDATE outbox_event SET attempts = attempts + 1, last_error = ?,
                         parked_at = CASE WHEN attempts + 1 >= ? THEN now() END
                     WHERE id = ? AND sent_at IS NULL RETURNING parked_at IS NOT NULL""")) {
            update.setString(1, error);
            update.setInt(2, maxAttempts);
            update.setLong(3, id);
            try (ResultSet rs = update.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("recording the failure of outbox row " + id + " failed: " + e.getMessage(), e);
        }
    }

    /** A parked row, as the API shows it. */
    public record Parked(long id, UUID eventId, String topic, String key, int attempts, String lastError, java.time.OffsetDateTime createdAt,
            java.time.OffsetDateTime parkedAt, long waitingBehind) {
    }

    /** Every parked row, oldest first, with how many later rows of its topic and key wait behind it. */
    public List<Parked> parked() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("""
                     SELECT p.id, p.event_id, p.topic, p.record_key, p.attempts, p.last_error, p.created_at, p.parked_at,
                         (SELECT count(*) FROM outbox_event w WHERE w.sent_at IS NULL AND w.topic = p.topic AND w.record_key = p.record_key
                             AND w.id > p.id)
                     FROM outbox_event p WHERE p.parked_at IS NOT NULL AND p.sent_at IS NULL ORDER BY p.id""")) {
            List<Parked> parked = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    parked.add(new Parked(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getInt(5),
                            rs.getString(6), rs.getObject(7, java.time.OffsetDateTime.class), rs.getObject(8, java.time.OffsetDateTime.class),
                            rs.getLong(9)));
                }
            }
            return parked;
        } catch (SQLException e) {
            throw new IllegalStateException("reading parked outbox rows failed: " + e.getMessage(), e);
        }
    }

    /** How many rows are parked (the gauge: one count, not the rows). */
    public long countParked() {
        return Jdbc.count(dataSource, "SELECT count(*) FROM outbox_event WHERE parked_at IS NOT NULL AND sent_at IS NULL", "parked outbox rows");
    }

    /** Puts a parked row back in line (after its cause was fixed); false when no such parked row exists. */
    public boolean replay(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE outbox_event SET parked_at = NULL, attempts = 0 WHERE id = ? AND parked_at IS NOT NULL AND sent_at IS NULL")) {
            update.setLong(1, id);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("replaying outbox row " + id + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int prune(java.time.Duration retention) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM outbox_event WHERE sent_at < ?")) {
            delete.setObject(1, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minus(retention));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("pruning the outbox failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void markSent(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE outbox_event SET sent_at = now() WHERE id = ?")) {
            update.setLong(1, id);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("marking outbox row " + id + " sent failed: " + e.getMessage(), e);
        }
    }
}
