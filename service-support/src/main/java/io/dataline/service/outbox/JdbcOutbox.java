package io.dataline.service.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dataline.events.EventJson;
import io.dataline.events.EventSchemas;
import io.dataline.events.EventType;
import io.dataline.events.PipelineEvent;
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
    public List<OutboxRelayLoop.Row> unsent(int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT id, event_id, topic, record_key, payload, traceparent FROM outbox_event WHERE sent_at IS NULL ORDER BY id LIMIT ?")) {
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
