package io.dataline.testsupport;

import io.dataline.infra.FreePorts;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Containers mode on the images built on this machine ({@code deploy/containers/build-images.sh}) instead of the
 * official ones: with {@code -Ddataline.images=local} the test resources start
 * {@code dataline/postgres} and {@code dataline/kafka} through Testcontainers (on Docker or podman, whichever
 * {@code DOCKER_HOST} names) and hand their addresses to the application, where Quarkus Dev Services would otherwise
 * pull the official images. One of each per test JVM, on the host's network at 127.0.0.1 with free ports, stopped
 * when the JVM exits.
 */
public final class LocalImages {

    /** System property (set by the build from {@code -Ddataline.images}) or environment variable {@code DATALINE_IMAGES}. */
    public static final String PROPERTY = "dataline.images";
    static final String PASSWORD = "local-images-password";

    private static GenericContainer<?> postgres;
    private static int postgresPort;
    private static final Set<String> databases = new HashSet<>();
    private static GenericContainer<?> kafka;
    private static int kafkaPort;

    private LocalImages() {
    }

    /** Whether containers mode runs on the local images. */
    public static boolean enabled() {
        return Infra.containers() && "local".equals(System.getProperty(PROPERTY, System.getenv("DATALINE_IMAGES")));
    }

    private static GenericContainer<?> start(GenericContainer<?> container, String name) {
        container.withNetworkMode("host").withImagePullPolicy(i -> false);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-" + name));
        return container;
    }

    /** The JDBC URL of a database (created on first use) on the test JVM's {@code dataline/postgres} container. */
    public static synchronized String jdbcUrl(String database) {
        if (postgres == null) {
            postgresPort = FreePorts.pick();
            postgres = start(new GenericContainer<>(DockerImageName.parse("localhost/dataline/postgres:15"))
                    .withEnv("PGPORT", Integer.toString(postgresPort)).withEnv("LISTEN_ADDRESSES", "127.0.0.1").withEnv("POSTGRES_PASSWORD", PASSWORD)
                    .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2).withStartupTimeout(Duration.ofMinutes(2))),
                    "postgres");
        }
        if (databases.add(database)) {
            try (Connection db = DriverManager.getConnection(url("postgres"), "postgres", PASSWORD); Statement create = db.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + database + " in the dataline/postgres container", e);
            }
        }
        return url(database);
    }

    private static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    /** The bootstrap servers of the test JVM's {@code dataline/kafka} container. */
    public static synchronized String kafkaBootstrap() {
        if (kafka == null) {
            kafkaPort = FreePorts.pick();
            kafka = start(new GenericContainer<>(DockerImageName.parse("localhost/dataline/kafka:4.1.2"))
                    .withEnv("KAFKA_PORT", Integer.toString(kafkaPort)).withEnv("KAFKA_CONTROLLER_PORT", Integer.toString(FreePorts.pick()))
                    .withEnv("KAFKA_LISTEN_HOST", "127.0.0.1").withEnv("KAFKA_ADVERTISED_HOST", "127.0.0.1")
                    .waitingFor(Wait.forLogMessage(".*dataline-kafka: ready.*", 1).withStartupTimeout(Duration.ofMinutes(2))), "kafka");
        }
        return "127.0.0.1:" + kafkaPort;
    }
}
