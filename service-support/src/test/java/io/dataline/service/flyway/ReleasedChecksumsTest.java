package io.dataline.service.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataline.infra.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Covers the upgrade path of a database migrated before the shared tables moved out of a service's migration: its
 * history keeps the released checksum, which is accepted exactly when configured; any other edit still fails
 * Flyway's validation; and the shared migration adds nothing to a database that already has the tables.
 */
class ReleasedChecksumsTest {

    @TempDir
    static Path dir;

    static Postgres postgres;

    @BeforeAll
    static void start() {
        postgres = Postgres.start(dir.resolve("pg"), 0);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void shouldAcceptTheReleasedFormOfAMigrationAndRefuseAnyOtherEdit() throws Exception {
        DataSource db = database("released_checksums");
        Path released = dir.resolve("released");
        Files.createDirectories(released);
        Files.writeString(released.resolve("V1__tables.sql"), """
                CREATE TABLE processed_event (event_id uuid PRIMARY KEY, topic text NOT NULL, processed_at timestamptz NOT NULL);
                CREATE TABLE report (id bigserial PRIMARY KEY);
                """);
        flyway(db, new Callback[0], "filesystem:" + released).migrate();
        int releasedChecksum = checksum(db, "1");

        Path today = dir.resolve("today");
        Files.createDirectories(today);
        Files.writeString(today.resolve("V1__tables.sql"), "CREATE TABLE report (id bigserial PRIMARY KEY);\n");
        String[] locations = {"filesystem:" + today, "classpath:db/dataline-shared"};

        assertThatThrownBy(() -> flyway(db, new Callback[] {ReleasedChecksums.parse("1:" + (releasedChecksum + 1))}, locations).migrate())
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("checksum");

        flyway(db, new Callback[] {ReleasedChecksums.parse("1:" + releasedChecksum)}, locations).migrate();
        assertThat(checksum(db, "1")).isNotEqualTo(releasedChecksum);
        assertThat(flyway(db, new Callback[0], locations).validateWithResult().validationSuccessful).isTrue();
        assertThat(checksum(db, "0.1")).isNotNull();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('processed_event', 'outbox_event')")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void shouldParseVersionsAndChecksumsAndRefuseGarbage() {
        assertThat(ReleasedChecksums.parse(" ").isEmpty()).isTrue();
        assertThat(ReleasedChecksums.parse("1:-60741629, 2:215553019").isEmpty()).isFalse();
        assertThatThrownBy(() -> ReleasedChecksums.parse("1=5")).isInstanceOf(IllegalArgumentException.class);
    }

    private static Flyway flyway(DataSource db, Callback[] callbacks, String... locations) {
        return Flyway.configure().dataSource(db).locations(locations).outOfOrder(true).callbacks(callbacks).load();
    }

    private static DataSource database(String name) {
        postgres.ensureDatabase(name);
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setURL(postgres.jdbcUrl(name));
        db.setUser(Postgres.USER);
        return db;
    }

    private static Integer checksum(DataSource db, String version) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT checksum FROM flyway_schema_history WHERE version = '" + version + "'")) {
            return rs.next() ? (Integer) rs.getObject(1) : null;
        }
    }
}
