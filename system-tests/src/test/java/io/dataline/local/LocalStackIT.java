package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.infra.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Covers {@code ./dataline} as a user runs it, on the packaged services: {@code up} starts Kafka, PostgreSQL and the
 * four services and returns once all are healthy; a commit made through the packaged dataset-service's REST API is
 * published through its outbox, stored by the packaged validation-service, which reads the version back from
 * dataset-service and reports on it (the pipeline's first hops across real processes); {@code status} says so; a second {@code up} starts nothing new;
 * {@code down} stops every process {@code up} started (PostgreSQL's own processes included) and frees every port; every
 * process {@code up} started was handed {@code DATALINE_JAVA_OPTS}.
 * The stack runs on free ports and a temporary home, so a developer's own running stack is left alone.
 */
class LocalStackIT {

    private static final Path ROOT = Path.of(System.getenv().getOrDefault("DATALINE_ROOT", "..")).toAbsolutePath().normalize();

    private static final String JAVA_OPTION_MARKER = "-Dlocal-stack-it.marker=true"; // outside dataline.*: Quarkus refuses unknown keys there

    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopWhateverIsLeft() throws Exception {
        run("down");
    }

    @Test
    void shouldStartEveryServiceHealthyAndStopEverythingItStarted() throws Exception {
        int base = freeRange(5);
        int kafka = FreePorts.pick();
        int postgres = FreePorts.pick();
        env.put("DATALINE_HOME", home.toString());
        env.put("DATALINE_PORT_BASE", Integer.toString(base));
        env.put("DATALINE_KAFKA_PORT", Integer.toString(kafka));
        env.put("DATALINE_POSTGRES_PORT", Integer.toString(postgres));
        env.put("DATALINE_ADMIN_KEY", "it-admin-key-0123456789");
        // a marker on top of what the build passes (C1 alone): every process up starts must be handed both
        env.put("DATALINE_JAVA_OPTS", System.getenv().getOrDefault("DATALINE_JAVA_OPTS", "") + " " + JAVA_OPTION_MARKER);

        Result up = run("up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("Dataline is up.").contains("http://127.0.0.1:" + base)
                .contains("http://127.0.0.1:" + (base + 3)).contains("http://127.0.0.1:" + (base + 4)).doesNotContain("it-admin-key-0123456789");

        for (int port = base; port < base + 5; port++) { // the console's readiness too
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (port + ServiceSpec.MANAGEMENT_OFFSET)
                    + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as("readiness on %d: %s", port, health.body()).isEqualTo(200);
        }
        // One commit through the packaged dataset-service reaches the packaged validation-service's database:
        // REST -> outbox -> dataset.committed -> consumer -> PostgreSQL, across real processes.
        String version = commitThroughDatasetService(base);
        assertThat(awaitStoredCommit(postgres, version)).as("validation-service stored the committed version").isTrue();
        // ... and validation-service read the version back from dataset-service and reported on it.
        assertThat(awaitReport(base + 1, version)).contains("\"passed\":true");

        Result outbox = run("outbox", "list");
        assertThat(outbox.exitCode()).as(outbox.output()).isZero();
        assertThat(outbox.output()).contains("No parked outbox rows");

        // Chunks stay in PostgreSQL on the embedded defaults; object storage is refused until a bucket is configured.
        Result chunks = run("chunks");
        assertThat(chunks.exitCode()).as(chunks.output()).isZero();
        assertThat(chunks.output()).contains("New chunks go to postgres").containsPattern("In the database: [1-9]\\d* chunks; in object storage: 0");
        Result stay = run("chunks", "migrate", "local-stack", "--to", "postgres");
        assertThat(stay.exitCode()).as(stay.output()).isZero();
        assertThat(stay.output()).contains("1 chunks in its versions, 0 moved to postgres");
        Result toS3 = run("chunks", "migrate", "local-stack", "--to", "s3");
        assertThat(toS3.exitCode()).as(toS3.output()).isEqualTo(1);
        assertThat(toS3.output()).contains("409").contains("DATALINE_CHUNKS_S3_BUCKET");

        // A readiness snapshot: on a loaded 2-core machine one probe may time out (2 s), so a few are allowed.
        Result status = run("status");
        for (int probe = 1; probe < 5 && status.exitCode() != 0; probe++) {
            Thread.sleep(2000);
            status = run("status");
        }
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("running").containsPattern("dataset-service\\s+healthy");

        List<ProcessHandle> started = new ArrayList<>();
        try (var pidFiles = Files.list(home.resolve("run"))) {
            for (Path pidFile : pidFiles.filter(p -> p.toString().endsWith(".pid")).toList()) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
                assertThat(handle.info().arguments()).as("JVM options of %s", pidFile.getFileName()).isPresent()
                        .hasValueSatisfying(arguments -> assertThat(arguments).contains(JAVA_OPTION_MARKER));
                started.add(handle);
                started.addAll(handle.descendants().toList());
            }
        }
        // pg_ctl daemonizes PostgreSQL: its postmaster is found through its own pid file, not as a child.
        long postmaster = Long.parseLong(Files.readAllLines(home.resolve("postgres/postmaster.pid")).get(0).trim());
        ProcessHandle postgresServer = ProcessHandle.of(postmaster).orElseThrow();
        started.add(postgresServer);
        started.addAll(postgresServer.descendants().toList());
        assertThat(started).hasSizeGreaterThanOrEqualTo(8); // infra JVM + 4 services + console + PostgreSQL and its workers

        Result again = run("up");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("already running").doesNotContain("Starting ");

        Result down = run("down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(down.output()).contains("Stopped Kafka and PostgreSQL.");
        for (ProcessHandle process : started) {
            process.onExit().get(30, TimeUnit.SECONDS);
            assertThat(process.isAlive()).as("process %d still alive", process.pid()).isFalse();
        }
        IntStream.of(base, base + 1, base + 2, base + 3, base + 4, base + 1000, base + 1001, base + 1002, base + 1003, base + 1004, kafka, postgres)
                .forEach(port -> assertThat(FreePorts.inUse(port)).as("port %d still in use", port).isFalse());
        assertThat(run("status").exitCode()).isEqualTo(3);
    }

    private String commitThroughDatasetService(int datasetServicePort) throws Exception {
        String base = "http://127.0.0.1:" + datasetServicePort;
        String schema = "{\"type\":\"object\",\"required\":[\"id\",\"text\"],\"properties\":{\"id\":{\"type\":\"string\"},"
                + "\"text\":{\"type\":\"string\"}}}";
        send(base + "/datasets", "{\"name\":\"Local Stack\",\"primaryKey\":\"id\",\"schema\":" + schema + "}", 201);
        send(base + "/datasets/local-stack/records", "[{\"id\":\"a\",\"text\":\"hello\"},{\"id\":\"b\",\"text\":\"world\"}]", 200);
        String body = send(base + "/datasets/local-stack/commits", "{\"message\":\"first\"}", 201);
        java.util.regex.Matcher hash = java.util.regex.Pattern.compile("\"hash\":\"([0-9a-f]{64})\"").matcher(body);
        assertThat(hash.find()).as(body).isTrue();
        return hash.group(1);
    }

    private String awaitReport(int validationServicePort, String version) throws Exception {
        URI report = URI.create("http://127.0.0.1:" + validationServicePort + "/reports/local-stack/" + version);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(report).header("Authorization", "Bearer " + env.get("DATALINE_ADMIN_KEY"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return response.body();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no validation report for " + version);
    }

    private String send(String url, String json, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + env.get("DATALINE_ADMIN_KEY"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", url, response.body()).isEqualTo(expectedStatus);
        return response.body();
    }

    private static boolean awaitStoredCommit(int postgresPort, String dataVersion) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + postgresPort + "/validation_service";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM committed_version WHERE data_version = ?")) {
            query.setString(1, dataVersion);
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next() && rows.getLong(1) == 1) {
                        return true;
                    }
                }
                Thread.sleep(200);
            }
        }
        return false;
    }

    private Result run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("bash", ROOT.resolve("dataline").toString()));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line)
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./dataline " + command + " did not finish:\n" + output);
        }
        return new Result(process.exitValue(), output);
    }

    private static int freeRange(int size) {
        return FreePorts.range(size, ServiceSpec.MANAGEMENT_OFFSET);
    }

    private record Result(int exitCode, String output) {
    }
}
