package io.dataline.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack keeps its state and which ports it uses. Everything lives under {@code .dataline/} in the
 * repository (ignored by git) unless {@code DATALINE_HOME} says otherwise; ports have fixed defaults that the
 * environment can move.
 *
 * <pre>
 * .dataline/kafka/        broker log dir (kept across restarts)
 * .dataline/postgres/     PostgreSQL cluster (kept across restarts)
 * .dataline/run/*.pid     what `up` started, one file per process
 * .dataline/logs/*.log    each process's output
 * .dataline/admin-key     the generated admin API key (when DATALINE_ADMIN_KEY is not set)
 * .dataline/webhook-key   the generated key that encrypts webhook secrets (when DATALINE_WEBHOOK_ENCRYPTION_KEY is not set)
 * </pre>
 */
record StackLayout(Path root, Path home, int kafkaPort, int postgresPort, List<ServiceSpec> services, int replicas, int partitions,
        List<String> javaOptions) {

    static final int DEFAULT_KAFKA_PORT = 9092;
    static final int DEFAULT_POSTGRES_PORT = 5432;

    /**
     * Replicas per service: {@code DATALINE_REPLICAS} ({@code up --replicas N} sets it), else as many as the running
     * stack was started with ({@code run/replicas}), else 1. Partitions per Dataline topic:
     * {@code DATALINE_TOPIC_PARTITIONS}, else one per replica (topics never lose partitions).
     */
    static StackLayout from(Path root, Map<String, String> env) {
        Path home = (env.containsKey("DATALINE_HOME") ? Path.of(env.get("DATALINE_HOME")) : root.resolve(".dataline")).toAbsolutePath().normalize();
        int replicas = count(env.get("DATALINE_REPLICAS"), "DATALINE_REPLICAS (--replicas)", ServiceSpec.MAX_REPLICAS);
        if (replicas == 0) {
            replicas = startedWith(home.resolve("run").resolve("replicas"));
        }
        int partitions = count(env.get("DATALINE_TOPIC_PARTITIONS"), "DATALINE_TOPIC_PARTITIONS", 1000);
        return new StackLayout(root, home,
                port(env, "DATALINE_KAFKA_PORT", DEFAULT_KAFKA_PORT),
                port(env, "DATALINE_POSTGRES_PORT", DEFAULT_POSTGRES_PORT),
                ServiceSpec.all(port(env, "DATALINE_PORT_BASE", ServiceSpec.DEFAULT_PORT_BASE)), replicas, partitions == 0 ? replicas : partitions,
                javaOptions(env.get("DATALINE_JAVA_OPTS")));
    }

    /**
     * Further JVM options for every process the stack starts ({@code DATALINE_JAVA_OPTS}, separated by spaces), after
     * the launcher's own heap limit, so that e.g. {@code -Xmx1g} overrides it. The tests start stacks with C1 alone
     * (the parent pom's {@code dataline.test.jvm}): a stack starts on ~40 % less CPU, at the cost of the peak speed a
     * benchmark needs.
     */
    private static List<String> javaOptions(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> options = List.of(value.trim().split("\\s+"));
        for (String option : options) {
            if (!option.startsWith("-")) {
                throw new LauncherException("DATALINE_JAVA_OPTS holds JVM options, each starting with '-', not '" + option + "'");
            }
        }
        return options;
    }

    /** A count from the environment; 0 when unset. */
    private static int count(String value, String name, int max) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int count = Integer.parseInt(value.trim());
            if (count < 1 || count > max) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new LauncherException(name + " must be a number from 1 to " + max + ", not '" + value + "'");
        }
    }

    private static int startedWith(Path file) {
        try {
            return Files.isRegularFile(file) ? Math.max(1, Integer.parseInt(Files.readString(file).trim())) : 1;
        } catch (java.io.IOException | NumberFormatException e) {
            return 1;
        }
    }

    /** Every process of every service: {@link #services()} (the first replicas) and the further replicas. */
    List<ServiceSpec> instances() {
        return ServiceSpec.instances(services.get(0).port(), replicas);
    }

    /** Records how many replicas the stack runs, for {@code down} and {@code status} without the option. */
    Path replicasFile() {
        return runDir().resolve("replicas");
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65_532) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new LauncherException(name + " must be a TCP port number, not '" + value + "'");
        }
    }

    Path kafkaDir() {
        return home.resolve("kafka");
    }

    Path postgresDir() {
        return home.resolve("postgres");
    }

    Path runDir() {
        return home.resolve("run");
    }

    Path logDir() {
        return home.resolve("logs");
    }

    Path pidFile(String process) {
        return runDir().resolve(process + ".pid");
    }

    Path logFile(String process) {
        return logDir().resolve(process + ".log");
    }

    /** Written by the infrastructure process once Kafka and PostgreSQL accept connections. */
    Path infraReadyFile() {
        return runDir().resolve("infra.ready");
    }

    Path adminKeyFile() {
        return home.resolve("admin-key");
    }

    Path webhookKeyFile() {
        return home.resolve("webhook-key");
    }

    Path serviceJar(ServiceSpec service) {
        return root.resolve(service.name()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    boolean serviceJarsBuilt() {
        return services.stream().allMatch(s -> Files.isRegularFile(serviceJar(s)));
    }

    /** The checked-out commit of the repository the stack runs from (recorded in model lineage), or "unknown". */
    String codeCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(root.toFile()).redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
        } catch (java.io.IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
