package io.dataline.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code up}, {@code down} and {@code status} of the local stack: the infrastructure process, then every service as
 * its own JVM on its fixed port, each tracked by a pid file so {@code down} stops exactly what {@code up} started.
 */
final class LocalStack {

    static final String INFRA = "infra";
    private static final Duration INFRA_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(180);

    private final StackLayout layout;
    private final Map<String, String> env;
    private final PrintStream out;
    private final StackKeys keys;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LocalStack(StackLayout layout, Map<String, String> env, PrintStream out) {
        this.layout = layout;
        this.env = env;
        this.out = out;
        this.keys = new StackKeys(layout, env, out);
    }

    ManagedProcess infra() {
        return new ManagedProcess(INFRA, layout.pidFile(INFRA), Dataline.class.getName() + " " + INFRA);
    }

    ManagedProcess process(ServiceSpec service) {
        return new ManagedProcess(service.processName(), layout.pidFile(service.processName()), layout.serviceJar(service).toString());
    }

    /** Starts whatever is not running yet, waits until every service is healthy, prints the URLs. */
    void up() throws IOException, InterruptedException {
        if (!layout.serviceJarsBuilt()) {
            throw new LauncherException("services are not built; run ./dataline (it builds them) or ./mvnw -DskipTests package");
        }
        String adminKey = adminKey();
        List<ManagedProcess> startedNow = new ArrayList<>();
        try {
            startInfrastructure(startedNow);
            TopicPartitions.ensure(layout.kafkaBootstrap(), layout.partitions(), out);
            Files.createDirectories(layout.runDir());
            Files.writeString(layout.replicasFile(), Integer.toString(layout.replicas()));
            for (ServiceSpec service : layout.instances()) {
                startService(service, adminKey, startedNow);
            }
            for (ServiceSpec service : layout.instances()) {
                awaitHealthy(service);
            }
        } catch (RuntimeException | InterruptedException e) {
            out.println("Start failed; stopping what this run started.");
            for (int i = startedNow.size() - 1; i >= 0; i--) {
                startedNow.get(i).stop(Duration.ofSeconds(20));
            }
            throw e;
        }
        out.println();
        out.println("Dataline is up.");
        for (ServiceSpec service : layout.services()) {
            out.printf(service.hasDatabase() ? "  %-22s %s   (API docs %s/q/openapi; health and metrics %s/q/health, /q/metrics)%n"
                    : "  %-22s %s   (the web console: log in with an API key, e.g. .dataline/admin-key)%n", service.name(), service.url(),
                    service.url(), service.managementUrl());
        }
        if (layout.replicas() > 1) {
            out.printf("  %d replicas of each, sharing %d partitions per topic; the further ones on %s%n", layout.replicas(),
                    layout.partitions(), layout.instances().stream().filter(i -> i.replica() > 1 && i.name().equals("dataset-service"))
                            .map(ServiceSpec::url).toList());
        }
        out.printf("  %-22s %s%n", "Kafka", layout.kafkaBootstrap());
        out.printf("  %-22s %s (user postgres, one database per service)%n", "PostgreSQL", layout.jdbcUrl(""));
        out.printf("  %-22s %s%n", "state and logs", layout.home());
        out.println();
        out.println("Stop it with: ./dataline down");
    }

    private void startInfrastructure(List<ManagedProcess> startedNow) throws IOException, InterruptedException {
        ManagedProcess infra = infra();
        if (infra.running().isPresent() && Files.exists(layout.infraReadyFile())) {
            out.println("Kafka and PostgreSQL already running.");
            return;
        }
        InfrastructureProcess.stopOrphanedPostgres(layout.postgresDir()); // left running when the infra process was killed
        requireFree(layout.kafkaPort(), "Kafka (DATALINE_KAFKA_PORT)");
        requireFree(layout.postgresPort(), "PostgreSQL (DATALINE_POSTGRES_PORT)");
        out.printf("Starting Kafka (127.0.0.1:%d) and PostgreSQL (127.0.0.1:%d)...%n", layout.kafkaPort(), layout.postgresPort());
        Files.deleteIfExists(layout.infraReadyFile());
        // The class path goes in the environment: a long -cp would push the marker out of the visible command line.
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaExecutable(), "-Xmx1g"));
        command.addAll(layout.javaOptions());
        command.addAll(List.of(Dataline.class.getName(), INFRA));
        Map<String, String> environment = stackEnvironment();
        environment.put("CLASSPATH", System.getProperty("java.class.path"));
        ProcessHandle handle = infra.start(command, environment, layout.root(), layout.logFile(INFRA));
        startedNow.add(infra);
        long deadline = System.nanoTime() + INFRA_TIMEOUT.toNanos();
        while (!Files.exists(layout.infraReadyFile())) {
            if (!handle.isAlive()) {
                throw new LauncherException("Kafka/PostgreSQL process exited; see " + layout.logFile(INFRA) + "\n" + ManagedProcess.tail(layout.logFile(INFRA)));
            }
            if (System.nanoTime() > deadline) {
                throw new LauncherException("Kafka/PostgreSQL not ready after " + INFRA_TIMEOUT.toSeconds() + " s; see " + layout.logFile(INFRA));
            }
            Thread.sleep(200);
        }
    }

    /**
     * How a service of the stack is configured, wherever it runs (a local process, a container): its ports, its
     * database, the broker, the admin key (which services also use to call dataset-service until they get keys of their
     * own) and the other services' URLs.
     */
    static Map<String, String> serviceEnvironment(ServiceSpec service, List<ServiceSpec> all, String jdbcUrl, String dbUser, String dbPassword,
            String kafkaBootstrap, String adminKey) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(service.port()));
        environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(service.managementPort()));
        if (service.hasDatabase()) {
            environment.put("DATALINE_DB_URL", jdbcUrl);
            environment.put("DATALINE_DB_USER", dbUser);
            environment.put("DATALINE_DB_PASSWORD", dbPassword);
        }
        environment.put("DATALINE_KAFKA_BOOTSTRAP", kafkaBootstrap);
        environment.put("DATALINE_ADMIN_KEY", adminKey);
        environment.put("DATALINE_SERVICE_KEY", adminKey);
        for (ServiceSpec other : all) {
            environment.put("DATALINE_" + other.name().toUpperCase().replace('-', '_') + "_URL", other.url());
        }
        return environment;
    }

    private void startService(ServiceSpec service, String adminKey, List<ManagedProcess> startedNow) {
        ManagedProcess process = process(service);
        if (process.running().isPresent()) {
            out.printf("%s already running.%n", service.processName());
            return;
        }
        requireFree(service.port(), service.processName());
        requireFree(service.managementPort(), service.processName() + " (management)");
        out.printf("Starting %s on %s...%n", service.processName(), service.url());
        Map<String, String> environment = stackEnvironment();
        environment.putAll(serviceEnvironment(service, layout.services(), service.hasDatabase() ? layout.jdbcUrl(service.database()) : null, "postgres", "",
                layout.kafkaBootstrap(), adminKey));
        if (service.replica() > 1) {
            // each replica is its own static member of the consumer groups (group.instance.id ends with HOSTNAME)
            environment.put("HOSTNAME", System.getenv().getOrDefault("HOSTNAME", "local") + "-" + service.replica());
        }
        if (service.name().equals("dataset-service")) {
            environment.put("DATALINE_WEBHOOK_ENCRYPTION_KEY", webhookKey());
            // A developer receives webhooks on their own machine; the services' default (a cluster) refuses loopback.
            environment.put("DATALINE_WEBHOOKS_ALLOW_LOOPBACK", "true");
        }
        if (service.name().equals("training-orchestrator")) {
            environment.put("DATALINE_ARTIFACTS_DIR", layout.home().resolve("artifacts").toString());
            environment.put("DATALINE_RUNS_DIR", layout.home().resolve("runs").toString());
            environment.put("DATALINE_EXAMPLES_DIR", layout.root().resolve("training-orchestrator/examples").toString());
            environment.put("DATALINE_CODE_COMMIT", layout.codeCommit());
        }
        // A service that runs out of memory exits (status shows it stopped) instead of running on with dead threads.
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaExecutable(), "-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(layout.javaOptions());
        command.addAll(List.of("-jar", layout.serviceJar(service).toString()));
        process.start(command, environment, layout.root(), layout.logFile(service.processName()));
        startedNow.add(process);
    }

    private void awaitHealthy(ServiceSpec service) throws InterruptedException {
        ManagedProcess process = process(service);
        long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
        while (!healthy(service)) {
            if (process.running().isEmpty()) {
                throw new LauncherException(service.processName() + " exited during start; see " + layout.logFile(service.processName())
                        + "\n" + ManagedProcess.tail(layout.logFile(service.processName())));
            }
            if (System.nanoTime() > deadline) {
                throw new LauncherException(service.processName() + " not healthy after " + HEALTH_TIMEOUT.toSeconds() + " s; see "
                        + layout.logFile(service.processName()));
            }
            Thread.sleep(250);
        }
        out.printf("%s is healthy.%n", service.processName());
    }

    /** Kills a service at once (SIGKILL, no shutdown hooks), as a crash would; {@link #up} starts it again. */
    boolean kill(ServiceSpec service) {
        return process(service).running().map(handle -> {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            handle.onExit().join();
            return true;
        }).orElse(false);
    }

    /**
     * Stops the services, all at once (each shuts down on its own: SIGTERM to every one, then each awaited, killed if
     * still running after 20 s), then Kafka and PostgreSQL; returns how many processes were stopped.
     */
    int down() throws IOException {
        int stopped = 0;
        List<ServiceSpec> reversed = new ArrayList<>(ServiceSpec.instances(layout.services().get(0).port(), ServiceSpec.MAX_REPLICAS));
        java.util.Collections.reverse(reversed);
        Map<ServiceSpec, ProcessHandle> stopping = new LinkedHashMap<>();
        for (ServiceSpec service : reversed) {
            process(service).requestStop().ifPresent(handle -> stopping.put(service, handle));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (Map.Entry<ServiceSpec, ProcessHandle> service : stopping.entrySet()) {
            process(service.getKey()).awaitStop(service.getValue(), deadline);
            out.printf("Stopped %s.%n", service.getKey().processName());
            stopped++;
        }
        Files.deleteIfExists(layout.replicasFile());
        if (infra().stop(Duration.ofSeconds(60))) {
            out.println("Stopped Kafka and PostgreSQL.");
            stopped++;
        }
        Files.deleteIfExists(layout.infraReadyFile());
        if (stopped == 0) {
            out.println("Nothing was running.");
        }
        return stopped;
    }

    /** Prints what runs and whether it is healthy; returns true when everything runs and is healthy. */
    boolean status() {
        boolean allGood = true;
        Optional<ProcessHandle> infra = infra().running();
        out.printf("%-22s %-10s %s%n", "Kafka + PostgreSQL", infra.isPresent() ? "running" : "stopped",
                infra.map(h -> "pid " + h.pid() + ", " + layout.kafkaBootstrap() + ", 127.0.0.1:" + layout.postgresPort()).orElse(""));
        allGood &= infra.isPresent();
        for (ServiceSpec service : layout.instances()) {
            Optional<ProcessHandle> process = process(service).running();
            String state = process.isEmpty() ? "stopped" : healthy(service) ? "healthy" : "unhealthy";
            out.printf("%-22s %-10s %s%n", service.processName(), state, process.map(h -> "pid " + h.pid() + ", " + service.url()).orElse(""));
            allGood &= "healthy".equals(state);
        }
        return allGood;
    }

    boolean healthy(ServiceSpec service) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service.managementUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The admin API key ({@link StackKeys#adminKey}). */
    String adminKey() throws IOException {
        return keys.adminKey();
    }

    private String webhookKey() {
        return keys.webhookKey();
    }

    private Map<String, String> stackEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("DATALINE_HOME", layout.home().toString());
        environment.put("DATALINE_KAFKA_PORT", Integer.toString(layout.kafkaPort()));
        environment.put("DATALINE_POSTGRES_PORT", Integer.toString(layout.postgresPort()));
        environment.put("DATALINE_PORT_BASE", Integer.toString(layout.services().get(0).port()));
        environment.put("DATALINE_REPLICAS", Integer.toString(layout.replicas()));
        environment.put("DATALINE_TOPIC_PARTITIONS", Integer.toString(layout.partitions()));
        return environment;
    }

    private static void requireFree(int port, String what) {
        if (io.dataline.infra.FreePorts.inUse(port)) {
            throw new LauncherException("port " + port + " for " + what + " is already in use on 127.0.0.1; stop what holds it or move "
                    + "the stack (DATALINE_PORT_BASE, DATALINE_KAFKA_PORT, DATALINE_POSTGRES_PORT)");
        }
    }

}
