package io.dataline.dataset;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhooks, their deliveries and attempts (tables {@code webhook}, {@code webhook_delivery}, {@code webhook_attempt}),
 * in the caller's transaction when there is one. Secrets and tokens are stored as the caller sealed them.
 */
@ApplicationScoped
public class WebhookRepository {

    /** A registered webhook; {@code secret} and {@code token} are sealed values or null. */
    public record Webhook(UUID id, long datasetId, String url, List<String> events, String format, String secret, String token,
            Instant createdAt, String createdBy) {
    }

    /** A delivery as the log shows it. */
    public record Delivery(long id, UUID deliveryId, UUID webhookId, String event, UUID eventId, String dataVersion, String body,
            UUID redeliveryOf, String state, int attempts, Instant nextAttemptAt, Instant createdAt, Instant finishedAt) {
    }

    /** One attempt of a delivery. */
    public record Attempt(int number, Instant startedAt, long durationMs, Integer statusCode, String error, String response) {
    }

    private static final String DELIVERY_COLUMNS = "id, delivery_id, webhook_id, event, event_id, data_version, body, redelivery_of, "
            + "state, attempts, next_attempt_at, created_at, finished_at";

    @Inject
    AgroalDataSource dataSource;

    public void insert(Webhook webhook) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO webhook (id, dataset_id, url, events, format, secret, token, created_at, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, webhook.id());
            insert.setLong(2, webhook.datasetId());
            insert.setString(3, webhook.url());
            insert.setArray(4, connection.createArrayOf("text", webhook.events().toArray()));
            insert.setString(5, webhook.format());
            insert.setString(6, webhook.secret());
            insert.setString(7, webhook.token());
            insert.setTimestamp(8, Timestamp.from(webhook.createdAt()));
            insert.setString(9, webhook.createdBy());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store a webhook", e);
        }
    }

    public Optional<Webhook> find(UUID id) {
        List<Webhook> found = webhooks("SELECT * FROM webhook WHERE id = ?", id);
        return found.stream().findFirst();
    }

    public List<Webhook> ofDataset(long datasetId) {
        return webhooks("SELECT * FROM webhook WHERE dataset_id = ? ORDER BY created_at, id", datasetId);
    }

    /** Every webhook, oldest first (the caller keeps those of datasets it may use). */
    public List<Webhook> all() {
        return webhooks("SELECT * FROM webhook ORDER BY created_at, id");
    }

    public boolean delete(UUID id) {
        return update("DELETE FROM webhook WHERE id = ?", id) == 1;
    }

    /** Queues a delivery; for a first delivery (not a redelivery) of an event already queued, does nothing. */
    public Optional<UUID> enqueue(UUID webhookId, String event, UUID eventId, String dataVersion, String body, UUID redeliveryOf) {
        UUID deliveryId = UUID.randomUUID();
        int inserted = update("""
                INSERT INTO webhook_delivery (delivery_id, webhook_id, event, event_id, data_version, body, redelivery_of, state,
                                              next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', now(), now())
                ON CONFLICT (webhook_id, event_id) WHERE redelivery_of IS NULL DO NOTHING""",
                deliveryId, webhookId, event, eventId, dataVersion, body, redeliveryOf);
        return inserted == 1 ? Optional.of(deliveryId) : Optional.empty();
    }

    /**
     * Queues a first delivery of an event to every webhook of the dataset (by slug) subscribed to it, each with the body
     * of its format ({@code formats[i]}'s body is {@code bodies[i]}), in one statement; a webhook that already has this
     * event queued gets nothing. Returns how many deliveries were queued.
     */
    public int enqueueSubscribed(String datasetSlug, String event, UUID eventId, String dataVersion, String[] formats, String[] bodies) {
        return update("""
                INSERT INTO webhook_delivery (delivery_id, webhook_id, event, event_id, data_version, body, redelivery_of, state,
                                              next_attempt_at, created_at)
                SELECT gen_random_uuid(), w.id, ?, ?, ?, (SELECT f.body FROM unnest(?::text[], ?::text[]) AS f (format, body)
                                                          WHERE f.format = w.format), NULL, 'pending', now(), now()
                FROM webhook w JOIN dataset d ON d.id = w.dataset_id
                WHERE d.slug = ? AND ? = ANY (w.events)
                ORDER BY w.created_at, w.id
                ON CONFLICT (webhook_id, event_id) WHERE redelivery_of IS NULL DO NOTHING""",
                event, eventId, dataVersion, formats, bodies, datasetSlug, event);
    }

    /** A claimed delivery and its webhook (empty when the webhook was deleted meanwhile). */
    public record Claimed(Delivery delivery, Optional<Webhook> webhook) {
    }

    /**
     * Claims the oldest due delivery that is the first pending one of its webhook (so each endpoint gets its
     * deliveries in order), leasing it for {@code lease} and counting the attempt; its webhook comes in the same
     * statement. Concurrent senders skip each other's rows; a sender that dies leaves the lease to run out, and the
     * delivery is attempted again.
     */
    public Optional<Claimed> claim(Duration lease) {
        return query("webhook deliveries", """
                WITH claimed AS (
                    UPDATE webhook_delivery SET attempts = attempts + 1, next_attempt_at = now() + ? * interval '1 millisecond'
                    WHERE id = (SELECT d.id FROM webhook_delivery d
                                WHERE d.state = 'pending' AND d.next_attempt_at <= now()
                                  AND NOT EXISTS (SELECT 1 FROM webhook_delivery e
                                                  WHERE e.webhook_id = d.webhook_id AND e.state = 'pending' AND e.id < d.id)
                                ORDER BY d.id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING\s""" + DELIVERY_COLUMNS + """
                )
                SELECT c.*, w.id AS w_id, w.dataset_id AS w_dataset_id, w.url AS w_url, w.events AS w_events, w.format AS w_format,
                       w.secret AS w_secret, w.token AS w_token, w.created_at AS w_created_at, w.created_by AS w_created_by
                FROM claimed c LEFT JOIN webhook w ON w.id = c.webhook_id""", rows -> {
            Delivery delivery = delivery(rows);
            Optional<Webhook> webhook = rows.getObject("w_id") == null ? Optional.empty() : Optional.of(webhook(rows, "w_"));
            return new Claimed(delivery, webhook);
        }, lease.toMillis()).stream().findFirst();
    }

    /**
     * Records an attempt and ends its delivery ({@code state} delivered or failed) in one statement, unless another
     * attempt already ended it or claimed it again. True when the webhook has further pending deliveries, which this
     * one held back until now.
     */
    public boolean recordAndFinish(long delivery, Attempt attempt, String state) {
        return recordAttempt(delivery, attempt, """
                UPDATE webhook_delivery d SET state = ?, finished_at = now() WHERE d.id = ? AND d.state = 'pending' AND d.attempts = ?
                RETURNING EXISTS (SELECT 1 FROM webhook_delivery e WHERE e.webhook_id = d.webhook_id AND e.state = 'pending' AND e.id <> d.id)""",
                state, delivery, attempt.number());
    }

    /** Records an attempt and sets when the delivery is tried again, in one statement (unless claimed again meanwhile). */
    public void recordAndRetryAt(long delivery, Attempt attempt, Instant at) {
        recordAttempt(delivery, attempt, """
                UPDATE webhook_delivery d SET next_attempt_at = ? WHERE d.id = ? AND d.state = 'pending' AND d.attempts = ?
                RETURNING false""", Timestamp.from(at), delivery, attempt.number());
    }

    /** The attempt is inserted whether or not {@code update} (which returns one boolean) matches its delivery. */
    private boolean recordAttempt(long delivery, Attempt attempt, String update, Object... updateParameters) {
        Object[] parameters = new Object[7 + updateParameters.length];
        parameters[0] = delivery;
        parameters[1] = attempt.number();
        parameters[2] = Timestamp.from(attempt.startedAt());
        parameters[3] = attempt.durationMs();
        parameters[4] = attempt.statusCode();
        parameters[5] = attempt.error();
        parameters[6] = attempt.response();
        System.arraycopy(updateParameters, 0, parameters, 7, updateParameters.length);
        List<Boolean> more = query("a webhook attempt", """
                WITH attempt AS (
                    INSERT INTO webhook_attempt (delivery_id, number, started_at, duration_ms, status_code, error, response)
                    VALUES (?, ?, ?, ?, ?, ?, ?))
                """ + update, rows -> rows.getBoolean(1), parameters);
        return !more.isEmpty() && more.get(0);
    }

    /** The newest deliveries of a webhook first. */
    public List<Delivery> deliveries(UUID webhookId, int limit) {
        return deliveries("SELECT " + DELIVERY_COLUMNS + " FROM webhook_delivery WHERE webhook_id = ? ORDER BY id DESC LIMIT ?",
                webhookId, limit);
    }

    public Optional<Delivery> delivery(UUID webhookId, UUID deliveryId) {
        return deliveries("SELECT " + DELIVERY_COLUMNS + " FROM webhook_delivery WHERE webhook_id = ? AND delivery_id = ?",
                webhookId, deliveryId).stream().findFirst();
    }

    public List<Attempt> attempts(long delivery) {
        return attempts(List.of(delivery)).getOrDefault(delivery, List.of());
    }

    /** The attempts of several deliveries in one statement (a delivery log's page), by delivery, each in order. */
    public Map<Long, List<Attempt>> attempts(Collection<Long> deliveries) {
        Map<Long, List<Attempt>> byDelivery = new HashMap<>();
        if (deliveries.isEmpty()) {
            return byDelivery;
        }
        query("webhook attempts", """
                SELECT delivery_id, number, started_at, duration_ms, status_code, error, response FROM webhook_attempt
                WHERE delivery_id = ANY (?) ORDER BY delivery_id, number, id""", rows -> {
            int status = rows.getInt(5);
            Integer statusCode = rows.wasNull() ? null : status;
            return byDelivery.computeIfAbsent(rows.getLong(1), k -> new ArrayList<>()).add(new Attempt(rows.getInt(2),
                    rows.getTimestamp(3).toInstant(), rows.getLong(4), statusCode, rows.getString(6), rows.getString(7)));
        }, (Object) deliveries.toArray(Long[]::new));
        return byDelivery;
    }

    private List<Webhook> webhooks(String sql, Object... parameters) {
        return query("webhooks", sql, rows -> webhook(rows, ""), parameters);
    }

    /** A webhook from columns named as the table's, each with {@code prefix} in front. */
    private static Webhook webhook(ResultSet rows, String prefix) throws SQLException {
        return new Webhook(rows.getObject(prefix + "id", UUID.class), rows.getLong(prefix + "dataset_id"), rows.getString(prefix + "url"),
                Arrays.asList((String[]) rows.getArray(prefix + "events").getArray()), rows.getString(prefix + "format"),
                rows.getString(prefix + "secret"), rows.getString(prefix + "token"), rows.getTimestamp(prefix + "created_at").toInstant(),
                rows.getString(prefix + "created_by"));
    }

    private List<Delivery> deliveries(String sql, Object... parameters) {
        return query("webhook deliveries", sql, WebhookRepository::delivery, parameters);
    }

    private static Delivery delivery(ResultSet rows) throws SQLException {
        Timestamp finished = rows.getTimestamp("finished_at");
        return new Delivery(rows.getLong("id"), rows.getObject("delivery_id", UUID.class), rows.getObject("webhook_id", UUID.class),
                rows.getString("event"), rows.getObject("event_id", UUID.class), rows.getString("data_version"), rows.getString("body"),
                rows.getObject("redelivery_of", UUID.class), rows.getString("state"), rows.getInt("attempts"),
                rows.getTimestamp("next_attempt_at").toInstant(), rows.getTimestamp("created_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }

    /** Reads one row of a result. */
    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> List<T> query(String what, String sql, RowReader<T> reader, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            bind(query, parameters);
            List<T> found = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(reader.read(rows));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + what, e);
        }
    }

    private int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update webhooks", e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value == null) {
                statement.setNull(i + 1, Types.OTHER);
            } else if (value instanceof Integer number) {
                statement.setInt(i + 1, number);
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }
}
