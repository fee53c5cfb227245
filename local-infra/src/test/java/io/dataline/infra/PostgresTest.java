package io.dataline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Covers the embedded PostgreSQL: one database per service created idempotently, data kept in a given data directory
 * across a restart, and database names that are not plain identifiers refused.
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
    void shouldRefuseADatabaseNameThatIsNotAPlainIdentifier() {
        try (Postgres postgres = Postgres.start(null, 0)) {
            assertThatThrownBy(() -> postgres.ensureDatabase("x; DROP DATABASE postgres"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
