package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.infra.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A local stack for integration tests, run the way a user runs it ({@code ./dataline <command>} as a process) on free
 * ports and a temporary home, so a developer's own stack is left alone; with JSON helpers for its REST APIs.
 */
final class StackUnderTest {

    static final Path ROOT = Path.of(System.getenv().getOrDefault("DATALINE_ROOT", "..")).toAbsolutePath().normalize();
    static final String ADMIN_KEY = "it-admin-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    final Path home;
    final int base;
    final int kafka;
    final int postgres;
    final Map<String, String> env = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    StackUnderTest(Path home) {
        this(home, 1);
    }

    /** A stack whose ports leave room for {@code replicas} replicas of each service ({@code up --replicas N}). */
    StackUnderTest(Path home, int replicas) {
        this.home = home;
        this.base = freeRange(ServiceSpec.REPLICA_STRIDE * (replicas - 1) + 5); // four services and the console, per replica
        this.kafka = FreePorts.pick();
        this.postgres = FreePorts.pick();
        env.put("DATALINE_HOME", home.toString());
        env.put("DATALINE_PORT_BASE", Integer.toString(base));
        env.put("DATALINE_KAFKA_PORT", Integer.toString(kafka));
        env.put("DATALINE_POSTGRES_PORT", Integer.toString(postgres));
        env.put("DATALINE_ADMIN_KEY", ADMIN_KEY);
    }

    record Result(int exitCode, String output) {
    }

    String url(int service) {
        return "http://127.0.0.1:" + (base + service);
    }

    /** The URL of replica {@code replica} (1 = the first) of service number {@code service} (0 = dataset-service). */
    String url(int service, int replica) {
        return url(service + ServiceSpec.REPLICA_STRIDE * (replica - 1));
    }

    String datasets() {
        return url(0);
    }

    String console() {
        return url(4);
    }

    String validation() {
        return url(1);
    }

    String training() {
        return url(2);
    }

    String deploy() {
        return url(3);
    }

    Result run(String... command) throws IOException, InterruptedException {
        java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of("bash", ROOT.resolve("dataline").toString()));
        line.addAll(java.util.List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./dataline " + String.join(" ", command) + " did not finish:\n" + output);
        }
        return new Result(process.exitValue(), output);
    }

    /**
     * Stops the stack ({@code ./dataline down}) and, once it stopped cleanly, deletes its temporary home but for the
     * services' logs: its database and broker (~90 MB a run) would otherwise pile up in the temporary directory with
     * every run of the tests, while the logs (a few hundred KB) are what a failed run is read by.
     */
    Result down() throws IOException, InterruptedException {
        Result down = run("down");
        if (down.exitCode() == 0) {
            Path logs = home.resolve("logs");
            try (java.util.stream.Stream<Path> paths = Files.walk(home)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (!path.equals(home) && !path.startsWith(logs)) {
                        Files.delete(path);
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // tidying up, not what the tests check: say so and leave the rest
                System.err.println("could not delete all of " + home + ": " + e);
            }
        }
        return down;
    }

    /** The pid the launcher recorded for a process it started ({@code infra} or a service's name). */
    long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(home.resolve("run").resolve(name + ".pid")).trim());
    }

    /** SIGKILL to a process the launcher started; returns once it is gone (or a zombie: dead, not yet reaped). */
    void kill(String name) throws IOException, InterruptedException {
        ProcessHandle process = ProcessHandle.of(pid(name)).orElseThrow();
        process.destroyForcibly();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (process.isAlive() && !ManagedProcess.zombie(process.pid())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " survived SIGKILL");
            }
            Thread.sleep(50);
        }
    }

    HttpResponse<String> call(String method, String url, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + ADMIN_KEY)
                .timeout(Duration.ofMinutes(2));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String method, String url, Object body, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = call(method, url, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, url, response.body()).isEqualTo(expectedStatus);
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    /** Polls {@code GET url} until the JSON answer satisfies {@code done}; fails after the timeout with the last answer. */
    JsonNode await(String url, Predicate<JsonNode> done, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = call("GET", url, null);
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonNode json = JSON.readTree(response.body());
                if (done.test(json)) {
                    return json;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("GET " + url + " did not reach the expected state within " + timeout + "; last answer: " + last);
    }

    /** The stages of a version as dataset-service's lineage view shows them, once one of them is terminal. */
    /** A feedback dataset (id, feedback, sentiment, category) with this pipeline; its slug. */
    String createDataset(String prefix, JsonNode pipeline) throws IOException, InterruptedException {
        String name = prefix + " " + java.util.UUID.randomUUID().toString().substring(0, 6);
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("name", name).put("primaryKey", "id");
        com.fasterxml.jackson.databind.node.ObjectNode schema = body.putObject("schema").put("type", "object");
        schema.putArray("required").add("id");
        com.fasterxml.jackson.databind.node.ObjectNode properties = schema.putObject("properties");
        for (String field : List.of("id", "feedback", "sentiment", "category")) {
            properties.putObject(field).put("type", "string");
        }
        body.set("pipeline", pipeline);
        return json("POST", datasets() + "/datasets", body, 201).path("slug").asText();
    }

    /** Stages these records in the dataset and commits them; the new version's hash. */
    String commit(String slug, List<?> records) throws IOException, InterruptedException {
        json("POST", datasets() + "/datasets/" + slug + "/records", records, 200);
        return json("POST", datasets() + "/datasets/" + slug + "/commits", Map.of("message", "it commit"), 201).path("hash").asText();
    }

    /** Records {@code from} to {@code to} of the demo's sample, as maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> sample(int from, int to) throws IOException {
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        for (JsonNode record : Demo.sample().subList(from, to)) {
            records.add(JSON.convertValue(record, Map.class));
        }
        return records;
    }

    /**
     * The version's pipeline once it is over and its lineage holds the stages from the commit to the end. The lineage
     * is the dataset service's projection of nine topics, read by one consumer: after a broker restart it can record a
     * later topic's event (the promotion) before an earlier one's (the commit), so "over" alone can be seen first.
     */
    JsonNode awaitTerminal(String slug, String version, Duration timeout) throws IOException, InterruptedException {
        return await(datasets() + "/datasets/" + slug + "/versions/" + version + "/pipeline", StackUnderTest::terminal, timeout);
    }

    /** Over (the service's own {@code complete}), with the committed and validation stages recorded. */
    static boolean terminal(JsonNode lineage) {
        Set<String> reached = new HashSet<>();
        for (JsonNode stage : lineage.path("stages")) {
            reached.add(stage.path("stage").asText());
        }
        return lineage.path("complete").asBoolean() && reached.contains("committed") && reached.contains("validation");
    }

    static int freeRange(int size) {
        return FreePorts.range(size, ServiceSpec.MANAGEMENT_OFFSET);
    }
}
