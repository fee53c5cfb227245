package io.dataline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Covers the embedded PostgreSQL: one database per service created idempotently, data kept in a given data directory
 * across a restart and across a kill of every PostgreSQL process, and database names that are not plain identifiers
 * refused.
 */
class PostgresTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepDataInItsDirectoryAcrossARestart() throws Exception {
        try (Postgres postgres = Postgres.start(dir.resolve("pg"), 0)) {
            postgres.ensureDatabase("validation_service");
            postgres.ensureDatabase("validation_service");
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("validation_service"), Postgres.USER, "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('still here')");
            }
        }
        try (Postgres postgres = Postgres.start(dir.resolve("pg"), 0);
                Connection c = DriverManager.getConnection(postgres.jdbcUrl("validation_service"), Postgres.USER, "");
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void shouldKeepEveryCommitItAnsweredWhenEveryPostgresProcessIsKilled() throws Exception {
        Path data = dir.resolve("pg");
        Postgres postgres = Postgres.start(data, 0);
        try {
            postgres.ensureDatabase("dataset_service");
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("dataset_service"), Postgres.USER, "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE answered (n int)");
                for (int n = 0; n < 300; n++) {
                    s.execute("INSERT INTO answered VALUES (" + n + ")"); // autocommit: each one answered as committed
                }
            }
        } catch (Exception | AssertionError e) {
            postgres.close();
            throw e;
        }
        // at once, as a crash would: no shutdown checkpoint, nothing left in PostgreSQL's memory; the postmaster first,
        // so it cannot start new processes when it sees its children die
        ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim())).orElseThrow();
        List<ProcessHandle> all = new ArrayList<>(List.of(postmaster));
        all.addAll(postmaster.descendants().toList());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : all) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
        try {
            postgres.close(); // its pg_ctl stop finds no server
        } catch (RuntimeException alreadyGone) {
            // expected
        }
        try (Postgres restarted = Postgres.start(data, 0);
                Connection c = DriverManager.getConnection(restarted.jdbcUrl("dataset_service"), Postgres.USER, "");
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*), current_setting('synchronous_commit') FROM answered")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(2)).isEqualTo("on");
            assertThat(rows.getInt(1)).as("commits answered before the kill").isEqualTo(300);
        }
    }

    @Test
    void shouldRefuseADatabaseNameThatIsNotAPlainIdentifier() {
        try (Postgres postgres = Postgres.start(null, 0)) {
            assertThatThrownBy(() -> postgres.ensureDatabase("x; DROP DATABASE postgres"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
