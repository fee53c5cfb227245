package io.dataline.testsupport;

import io.dataline.infra.Postgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: a real PostgreSQL server with one database per service, named by the {@code database}
 * init argument (e.g. {@code validation_service}). Contributes the default datasource's URL and credentials; in
 * containers mode those of the {@code dataline/postgres} container ({@link LocalImages}), or nothing so that Dev
 * Services start the official image.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE_ARG = "database";

    private String database = "dataline";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault(DATABASE_ARG, database);
    }

    @Override
    public Map<String, String> start() {
        if (LocalImages.enabled()) {
            return Map.of("quarkus.datasource.jdbc.url", LocalImages.jdbcUrl(database), "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", LocalImages.PASSWORD, "quarkus.datasource.devservices.enabled", "false");
        }
        if (Infra.containers()) {
            return Map.of();
        }
        Postgres postgres = Infra.postgres();
        postgres.ensureDatabase(database);
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(database),
                "quarkus.datasource.username", Postgres.USER,
                "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        // The server outlives one application start: Infra stops it when the JVM exits.
    }
}
