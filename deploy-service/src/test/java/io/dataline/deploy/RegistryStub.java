package io.dataline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dataline.models.BuiltinModel;
import io.dataline.models.ModelPrediction;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * training-orchestrator's registry API, served over real HTTP on 127.0.0.1 for this service's tests: the versions the
 * test registers (real built-in models trained by the test, their artifacts, their held-out samples with the
 * predictions they made) and compare answers the test sets. Tests can tamper with an artifact or a sample to see the
 * checksum and smoke checks refuse it.
 */
public class RegistryStub implements QuarkusTestResourceLifecycleManager {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("/models/([^/]+)/versions/(\\d+)(/sample|/artifact|/compare)?");
    private static final Map<String, Entry> VERSIONS = new ConcurrentHashMap<>();
    private static final Map<String, JsonNode> COMPARISONS = new ConcurrentHashMap<>();
    static final AtomicInteger COMPARE_CALLS = new AtomicInteger();
    private static final Map<String, AtomicInteger> VIEW_READS = new ConcurrentHashMap<>();
    private static HttpServer server;

    record Entry(String format, byte[] artifact, JsonNode sample) {
    }

    private static volatile java.util.concurrent.CountDownLatch artifactGate;

    /** Artifacts are answered only once {@code gate} opens (null: at once); the stub answers one request at a time. */
    static void holdArtifacts(java.util.concurrent.CountDownLatch gate) {
        artifactGate = gate;
    }

    /** How many times a version's view ({@code GET /models/{m}/versions/{v}}) was read. */
    static int viewReads(String model, int version) {
        AtomicInteger reads = VIEW_READS.get(model + "/" + version);
        return reads == null ? 0 : reads.get();
    }

    /**
     * Registers a built-in model; the sample holds the predictions it makes on {@code heldOut}. Returns (uri, sha256,
     * format).
     */
    static String[] register(String model, int version, BuiltinModel trained, List<JsonNode> heldOut) {
        ObjectNode sample = JSON.createObjectNode();
        ArrayNode records = sample.putArray("records");
        for (JsonNode record : heldOut.subList(0, Math.min(20, heldOut.size()))) {
            ModelPrediction p = trained.predict(record);
            records.addObject().<ObjectNode>set("record", record).put("label", record.path("sentiment").asText()).put("predicted", p.label());
        }
        return put(model, version, new Entry(BuiltinModel.FORMAT, trained.toBytes(), sample));
    }

    static String[] registerExternal(String model, int version, byte[] artifact) {
        return put(model, version, new Entry("external", artifact, JSON.createObjectNode().putArray("records")));
    }

    /** Serves other bytes than were registered (the event keeps the original checksum). */
    static void tamperArtifact(String model, int version, byte[] bytes) {
        VERSIONS.computeIfPresent(model + "/" + version, (k, e) -> new Entry(e.format(), bytes, e.sample()));
    }

    /** Claims the model predicted the opposite label for every sample record at evaluation. */
    static void tamperSample(String model, int version) {
        VERSIONS.computeIfPresent(model + "/" + version, (k, e) -> {
            JsonNode sample = e.sample().deepCopy();
            sample.path("records").forEach(r -> ((ObjectNode) r).put("predicted", "positive".equals(r.path("predicted").asText()) ? "negative" : "positive"));
            return new Entry(e.format(), e.artifact(), sample);
        });
    }

    static void compareAnswer(String model, int version, int against, JsonNode answer) {
        COMPARISONS.put(model + "/" + version + "/" + against, answer);
    }

    private static String[] put(String model, int version, Entry entry) {
        VERSIONS.put(model + "/" + version, entry);
        return new String[] {url() + "/models/" + model + "/versions/" + version + "/artifact", sha256(entry.artifact()), entry.format()};
    }

    static String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        return Map.of("dataline.training-orchestrator.url", url());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher m = VERSION.matcher(exchange.getRequestURI().getPath());
            Entry entry = m.matches() ? VERSIONS.get(m.group(1) + "/" + m.group(2)) : null;
            if (entry == null) {
                send(exchange, 404, "application/problem+json", "{\"status\":404,\"detail\":\"no such version\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String part = m.group(3) == null ? "" : m.group(3);
            switch (part) {
                case "" -> {
                    VIEW_READS.computeIfAbsent(m.group(1) + "/" + m.group(2), k -> new AtomicInteger()).incrementAndGet();
                    send(exchange, 200, "application/json", JSON.writeValueAsBytes(Map.of("model", m.group(1),
                        "version", Integer.parseInt(m.group(2)), "artifact", Map.of("format", entry.format(), "sha256", sha256(entry.artifact())))));
                }
                case "/sample" -> send(exchange, 200, "application/json", JSON.writeValueAsBytes(entry.sample()));
                case "/artifact" -> {
                    java.util.concurrent.CountDownLatch gate = artifactGate;
                    if (gate != null) {
                        try {
                            gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    send(exchange, 200, "application/octet-stream", entry.artifact());
                }
                default -> {
                    COMPARE_CALLS.incrementAndGet();
                    int against = JSON.readTree(exchange.getRequestBody()).path("against").asInt();
                    JsonNode answer = COMPARISONS.get(m.group(1) + "/" + m.group(2) + "/" + against);
                    if (answer == null) {
                        send(exchange, 409, "application/problem+json", "{\"status\":409,\"detail\":\"not comparable\"}".getBytes(StandardCharsets.UTF_8));
                    } else {
                        send(exchange, 200, "application/json", JSON.writeValueAsBytes(answer));
                    }
                }
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
