package io.dataline.service.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.infra.Postgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Covers the outbox on real PostgreSQL: pruning deletes published rows past the retention, never unsent ones; a row
 * the broker refuses for good is parked after the attempts, later rows of other keys go on while those of its key wait
 * behind it, and a replay puts it back in line; of two relays of one service, one relays at a time, and when its lock
 * session dies the other takes over, every row still sent once.
 */
class JdbcOutboxTest {

    @TempDir
    static Path dir;

    static Postgres postgres;
    static PGSimpleDataSource db;

    @BeforeAll
    static void start() throws Exception {
        postgres = Postgres.start(dir.resolve("pg"), 0);
        postgres.ensureDatabase("outbox");
        db = new PGSimpleDataSource();
        db.setURL(postgres.jdbcUrl("outbox"));
        db.setUser(Postgres.USER);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String migration : List.of("V0_1__outbox_and_inbox.sql", "V0_2__outbox_parking.sql")) {
                s.execute(new String(JdbcOutboxTest.class.getResourceAsStream("/db/dataline-shared/" + migration).readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        }
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void shouldParkARowTheBrokerRefusesForGoodAndLetOtherKeysGoOn() throws Exception {
        execute("DELETE FROM outbox_event");
        execute("""
                INSERT INTO outbox_event (event_id, topic, record_key, payload, created_at) VALUES
                (gen_random_uuid(), 'dataset.committed', 'too-large', '{"n":1}', now()),
                (gen_random_uuid(), 'dataset.committed', 'too-large', '{"n":2}', now()),
                (gen_random_uuid(), 'dataset.committed', 'fine', '{"n":3}', now())""");
        JdbcOutbox outbox = new JdbcOutbox(db);
        List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean fixed = new java.util.concurrent.atomic.AtomicBoolean();
        OutboxRelayLoop.Sender broker = row -> row.payload().equals("{\"n\":1}") && !fixed.get()
                ? java.util.concurrent.CompletableFuture.failedFuture(new org.apache.kafka.common.errors.RecordTooLargeException("too large"))
                : java.util.concurrent.CompletableFuture.runAsync(() -> sent.add(row.payload()));
        OutboxRelayLoop relay = new OutboxRelayLoop("test-relay", outbox, broker, null, 0, Duration.ofMillis(50), Duration.ofSeconds(5),
                Duration.ofDays(7), 2);
        relay.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent.contains("{\"n\":3}"));
            assertThat(sent).containsExactly("{\"n\":3}"); // the parked row's key waits; the other key went on
            List<JdbcOutbox.Parked> parked = outbox.parked();
            assertThat(outbox.countParked()).isEqualTo(1);
            assertThat(parked).singleElement().satisfies(p -> {
                assertThat(p.key()).isEqualTo("too-large");
                assertThat(p.attempts()).isEqualTo(2);
                assertThat(p.lastError()).contains("RecordTooLargeException");
                assertThat(p.waitingBehind()).isEqualTo(1);
            });

            fixed.set(true); // the cause is fixed (here: the broker now takes it), then the row is replayed
            assertThat(outbox.replay(parked.get(0).id())).isTrue();
            relay.wake();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() == 3);
            assertThat(sent).containsExactly("{\"n\":3}", "{\"n\":1}", "{\"n\":2}"); // per-key order kept
            assertThat(outbox.parked()).isEmpty();
            assertThat(outbox.countParked()).isZero();
            assertThat(outbox.replay(parked.get(0).id())).isFalse();
        } finally {
            relay.stop();
        }
    }

    @Test
    void shouldRelayFromOneReplicaAtATimeAndHandOverWhenItsLockSessionDies() throws Exception {
        execute("DELETE FROM outbox_event");
        List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        List<OutboxRelayLoop> relays = new ArrayList<>();
        for (String replica : List.of("a", "b")) {
            OutboxRelayLoop.Sender broker = row -> java.util.concurrent.CompletableFuture.runAsync(() -> sent.add(replica + ":" + row.key()));
            relays.add(new OutboxRelayLoop("relay-" + replica, new JdbcOutbox(db), broker, db, 4242, Duration.ofMillis(50), Duration.ofSeconds(5),
                    Duration.ofDays(7), 2));
        }
        relays.forEach(OutboxRelayLoop::start);
        try {
            insert("k1", "k2", "k3");
            relays.forEach(OutboxRelayLoop::wake);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() >= 3);
            String holder = sent.get(0).substring(0, 2);
            assertThat(sent).containsExactly(holder + "k1", holder + "k2", holder + "k3"); // one replica, in order

            // the holder's session ends (a restarted database, a dropped connection): its lock goes with it
            execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242");
            insert("k4", "k5");
            relays.forEach(OutboxRelayLoop::wake);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() >= 5);
            Thread.sleep(300); // a second sender, had there been one, would have sent by now
            assertThat(sent).hasSize(5);
            assertThat(sent.subList(3, 5)).extracting(s -> s.substring(2)).containsExactly("k4", "k5");
            assertThat(new JdbcOutbox(db).unsent(null, 10)).isEmpty();
        } finally {
            for (OutboxRelayLoop relay : relays) {
                relay.stop();
            }
        }
    }

    @Test
    void shouldBoundReadsOnTheLockSessionAndGiveItBackAsLent() throws Exception {
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        javax.sql.DataSource recorded = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(db, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection real = (Connection) result;
                    return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                        if (m.getName().equals("setNetworkTimeout")) {
                            calls.add("timeout " + a[1]);
                        } else if (m.getName().equals("close")) {
                            calls.add("close");
                        }
                        return m.invoke(real, a);
                    });
                });
        OutboxRelayLoop relay = new OutboxRelayLoop("timeout-relay", new JdbcOutbox(db), row -> java.util.concurrent.CompletableFuture.completedFuture(null),
                recorded, 4343, Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofDays(7), 2);
        relay.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> calls.contains("timeout " + OutboxRelayLoop.LOCK_SESSION_TIMEOUT_MILLIS));
        relay.stop();

        // the lock session's reads are bounded (a server gone without a word fails them), and it goes back without the bound
        assertThat(calls).containsExactly("timeout " + OutboxRelayLoop.LOCK_SESSION_TIMEOUT_MILLIS, "timeout 0", "close");
    }

    private static void insert(String... keys) throws Exception {
        for (String key : keys) {
            execute("INSERT INTO outbox_event (event_id, topic, record_key, payload, created_at) VALUES (gen_random_uuid(), 't', '" + key
                    + "', '{}', now())");
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void shouldPruneOnlyRowsPublishedBeforeTheRetention() throws Exception {
        execute("DELETE FROM outbox_event");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO outbox_event (event_id, topic, record_key, payload, created_at, sent_at) VALUES
                    (gen_random_uuid(), 't', 'old-sent', '{}', now() - interval '10 days', now() - interval '10 days'),
                    (gen_random_uuid(), 't', 'recent-sent', '{}', now() - interval '1 day', now() - interval '1 day'),
                    (gen_random_uuid(), 't', 'old-unsent', '{}', now() - interval '30 days', NULL)""");
        }

        assertThat(new JdbcOutbox(db).prune(Duration.ofDays(7))).isEqualTo(1);

        List<String> left = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT record_key FROM outbox_event ORDER BY id")) {
            while (rs.next()) {
                left.add(rs.getString(1));
            }
        }
        assertThat(left).containsExactly("recent-sent", "old-unsent");
        assertThat(new JdbcOutbox(db).unsent(null, 10)).extracting(OutboxRelayLoop.Row::key).containsExactly("old-unsent");
    }
}
