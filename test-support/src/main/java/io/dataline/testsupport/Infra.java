package io.dataline.testsupport;

import io.dataline.infra.KafkaBroker;
import io.dataline.infra.Postgres;
import java.util.Optional;

/**
 * The infrastructure of one test JVM: one Kafka broker and one PostgreSQL server, started on first use and stopped
 * when the JVM exits, shared by every Quarkus application restart (test profiles) in between.
 * <p>
 * {@code -Ddataline.infra=containers} (needs a Docker engine) leaves both to Quarkus Dev Services instead: the test
 * resources then contribute no configuration and the {@code containers} profile enables Dev Services.
 */
public final class Infra {

    /** System property selecting the infrastructure: {@code embedded} (default) or {@code containers}. */
    public static final String MODE_PROPERTY = "dataline.infra";
    /** Environment variable (or system property) with the Apicurio Registry v3 API URL, when one is reachable. */
    public static final String REGISTRY_URL_VARIABLE = "APICURIO_REGISTRY_URL";

    private static KafkaBroker kafka;
    private static Postgres postgres;

    private Infra() {
    }

    public static boolean containers() {
        return "containers".equals(System.getProperty(MODE_PROPERTY, "embedded"));
    }

    /** The test JVM's broker, started on first call. */
    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            kafka = KafkaBroker.startTemporary();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-embedded-kafka"));
        }
        return kafka;
    }

    /** The test JVM's PostgreSQL server, started on first call. */
    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = Postgres.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "stop-embedded-postgres"));
        }
        return postgres;
    }

    /** The schema registry URL given to this build, if any. */
    public static Optional<String> registryUrl() {
        String url = System.getProperty(REGISTRY_URL_VARIABLE, System.getenv(REGISTRY_URL_VARIABLE));
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(url);
    }
}
