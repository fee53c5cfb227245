package io.dataline.testsupport;

import io.dataline.infra.FreePorts;
import io.dataline.infra.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real dataset-service, run from its packaged jar as a separate process on the test JVM's broker and PostgreSQL,
 * for the tests of services that read data from it. It can be stopped and started again (outage tests). The jar is
 * {@code dataset-service/target/quarkus-app/quarkus-run.jar} in the nearest directory above the working directory that
 * has one (the repository's root, for modules at any depth), unless {@code dataline.dataset-service.jar} says
 * otherwise; the reactor builds dataset-service before the services that need it.
 */
public final class DatasetServiceProcess {

    /** The admin key the process is started with. */
    public static final String ADMIN_KEY = "test-dataset-service-admin-key";

    private static DatasetServiceProcess instance;

    private final Path jar;
    private final int port = FreePorts.pick();
    private final int managementPort = FreePorts.pick();
    private Process process;

    private DatasetServiceProcess(Path jar) {
        this.jar = jar;
    }

    /** The JVM's dataset-service, started on first call. */
    public static synchronized DatasetServiceProcess instance() {
        if (instance == null) {
            String configured = System.getProperty("dataline.dataset-service.jar");
            Path jar = configured != null ? Path.of(configured) : builtJar();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("dataset-service is not built at " + jar.toAbsolutePath()
                        + ": run ./mvnw -pl dataset-service -am package -DskipTests (the full build does this first)");
            }
            instance = new DatasetServiceProcess(jar);
            instance.start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "stop-dataset-service"));
        }
        return instance;
    }

    private static Path builtJar() {
        Path relative = Path.of("dataset-service", "target", "quarkus-app", "quarkus-run.jar");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return Path.of("..").resolve(relative);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        boolean local = LocalImages.enabled(); // the same broker and database server as the application under test
        String dbUrl;
        if (local) {
            dbUrl = LocalImages.jdbcUrl("dataset_service");
        } else {
            Postgres postgres = Infra.postgres();
            postgres.ensureDatabase("dataset_service");
            dbUrl = postgres.jdbcUrl("dataset_service");
        }
        try {
            Path log = jar.getParent().getParent().resolve("dataset-service-under-test.log");
            // DATALINE_JAVA_OPTS as the local stack takes it: the build's tests start it with C1 only (parent pom)
            List<String> command = new java.util.ArrayList<>(List.of(javaExecutable(), "-Xmx512m"));
            String javaOptions = System.getenv().getOrDefault("DATALINE_JAVA_OPTS", "").trim();
            if (!javaOptions.isEmpty()) {
                command.addAll(List.of(javaOptions.split("\\s+")));
            }
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort),
                    "DATALINE_DB_URL", dbUrl,
                    "DATALINE_DB_USER", local ? "postgres" : Postgres.USER,
                    "DATALINE_DB_PASSWORD", local ? LocalImages.PASSWORD : "",
                    "DATALINE_KAFKA_BOOTSTRAP", local ? LocalImages.kafkaBootstrap() : Infra.kafka().bootstrapServers(),
                    "DATALINE_ADMIN_KEY", ADMIN_KEY,
                    "APICURIO_REGISTRY_URL", Infra.registryUrl().orElse("")));
            // Like the local stack: webhooks may call this machine, their credentials are encrypted with a test key.
            builder.environment().put("DATALINE_WEBHOOKS_ALLOW_LOOPBACK", "true");
            builder.environment().put("DATALINE_WEBHOOK_ENCRYPTION_KEY", "dGVzdC13ZWJob29rLWtleS0wMTIzNDU2Nzg5YWJjZGU=");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dataset-service", e);
        }
        awaitHealthy();
    }

    /** Stops the process (SIGTERM, then forcibly). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dataset-service exited during start (exit " + process.exitValue() + ")");
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("dataset-service not healthy after 90 s");
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
