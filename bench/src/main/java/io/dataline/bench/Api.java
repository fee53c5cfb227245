package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** The few dataset-service calls the benchmarks make, over the JDK HTTP client with the admin key. */
public final class Api {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public Api(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /**
     * A commit as the client saw it: the version, the server's own time for it, the round trip, and the chunk reads
     * (from the server's cache or its store), fetches (from the store) and writes the server reported (-1: not said).
     */
    public record Commit(String hash, double serverMillis, double roundTripMillis, long startedNanos, long answeredNanos, long chunkReads,
            long chunkFetches, long chunkWrites, double chunkFetchMillis, double chunkWriteMillis) {
    }

    public void createDataset(String name, Map<String, Object> pipeline) throws IOException, InterruptedException {
        String body = "{\"name\": " + JSON.writeValueAsString(name) + ", \"primaryKey\": \"id\", \"schema\": " + Records.SCHEMA
                + (pipeline == null ? "" : ", \"pipeline\": " + JSON.writeValueAsString(pipeline)) + "}";
        send("POST", "/datasets", HttpRequest.BodyPublishers.ofString(body), "application/json", 201);
    }

    /** Streams NDJSON to {@code POST /records}; returns the answer ({@code staged}, {@code unchanged}). */
    public JsonNode stage(String dataset, Supplier<InputStream> ndjson) throws IOException, InterruptedException {
        return JSON.readTree(send("POST", "/datasets/" + segment(dataset) + "/records", HttpRequest.BodyPublishers.ofInputStream(ndjson),
                "application/x-ndjson", 200));
    }

    /** A one-shot commit: NDJSON streamed to {@code POST /commits} becomes the next version (upserts), no staging area. */
    public JsonNode commitNdjson(String dataset, String message, Supplier<InputStream> ndjson) throws IOException, InterruptedException {
        return commitNdjsonTimed(dataset, message, ndjson).version();
    }

    /** A one-shot commit's answer and the server's split of its time (Server-Timing; NaN for what the header lacks). */
    public record OneShot(JsonNode version, double serverMillis, double intakeMillis, double chunkWriteMillis, double chunkInsertMillis,
            long chunkWrites) {
    }

    public OneShot commitNdjsonTimed(String dataset, String message, Supplier<InputStream> ndjson) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request("POST", "/datasets/" + segment(dataset) + "/commits?message=" + segment(message),
                HttpRequest.BodyPublishers.ofInputStream(ndjson), "application/x-ndjson", null), HttpResponse.BodyHandlers.ofString());
        expect(response, 201);
        String timing = response.headers().firstValue("Server-Timing").orElse("");
        return new OneShot(JSON.readTree(response.body()), timingMillis(timing, "commit"), timingMillis(timing, "intake"),
                timingMillis(timing, "chunk-write"), timingMillis(timing, "chunk-inserts"), timingCount(timing, "chunk-writes"));
    }

    public void delete(String dataset, String key) throws IOException, InterruptedException {
        send("DELETE", "/datasets/" + segment(dataset) + "/records/" + segment(key), HttpRequest.BodyPublishers.noBody(), null, 200, 204);
    }

    public Commit commit(String dataset, String message) throws IOException, InterruptedException {
        return commit(dataset, message, null);
    }

    /** A commit that may be retried: the same {@code idempotencyKey} answers the version its first attempt made. */
    public Commit commit(String dataset, String message, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest request = request("POST", "/datasets/" + segment(dataset) + "/commits",
                HttpRequest.BodyPublishers.ofString("{\"message\": " + JSON.writeValueAsString(message) + ", \"author\": \"bench\"}"),
                "application/json", idempotencyKey);
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        expect(response, 201);
        String timing = response.headers().firstValue("Server-Timing").orElse("");
        return new Commit(JSON.readTree(response.body()).path("hash").asText(), timingMillis(timing, "commit"), Stats.millis(started, answered),
                started, answered, timingCount(timing, "chunk-reads"), timingCount(timing, "chunk-fetches"), timingCount(timing, "chunk-writes"),
                timingMillis(timing, "chunk-fetch"), timingMillis(timing, "chunk-write"));
    }

    /** A Server-Timing metric's duration ({@code name;dur=12.5}), NaN when the header has none. */
    static double timingMillis(String timing, String metric) {
        String value = timingValue(timing, metric, "dur=([0-9.]+)");
        return value == null ? Double.NaN : Double.parseDouble(value);
    }

    /** The number in a Server-Timing metric's description ({@code name;desc="123"}), -1 when the header has none. */
    static long timingCount(String timing, String metric) {
        String value = timingValue(timing, metric, "desc=\"?([0-9]+)");
        return value == null ? -1 : Long.parseLong(value);
    }

    /** The first group of {@code parameter} (a regex) on the metric named {@code metric}, null when it is absent. */
    private static String timingValue(String timing, String metric, String parameter) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|,\\s*)" + java.util.regex.Pattern.quote(metric) + ";" + parameter)
                .matcher(timing);
        return m.find() ? m.group(1) : null;
    }

    /** A timed call: the JSON answer and the client's round trip. */
    public record Timed(JsonNode answer, double roundTripMillis) {
    }

    /** Sends a body (JSON, or NDJSON when {@code contentType} says so) and times the round trip; fails on any status but {@code ok}. */
    public Timed timed(String method, String path, byte[] body, String contentType, int ok) throws IOException, InterruptedException {
        long started = System.nanoTime();
        String answer = send(method, path, HttpRequest.BodyPublishers.ofByteArray(body), contentType, ok);
        return new Timed(JSON.readTree(answer), Stats.millis(started, System.nanoTime()));
    }

    /** GETs {@code path} and reads its whole body, discarding it; answers the bytes read. */
    public long drain(String path) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response = http.send(request("GET", path, HttpRequest.BodyPublishers.noBody(), null, null),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new Refused(response.statusCode(), "GET " + path + " answered " + response.statusCode());
            }
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = body.read(buffer)) > 0; ) {
                total += n;
            }
            return total;
        }
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(send("GET", path, HttpRequest.BodyPublishers.noBody(), null, 200));
    }

    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String send(String method, String path, HttpRequest.BodyPublisher body, String contentType, int... ok)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(method, path, body, contentType, null), HttpResponse.BodyHandlers.ofString());
        expect(response, ok);
        return response.body();
    }

    private HttpRequest request(String method, String path, HttpRequest.BodyPublisher body, String contentType, String idempotencyKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(30))
                .header("Authorization", "Bearer " + key).method(method, body);
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder.build();
    }

    private static void expect(HttpResponse<String> response, int... ok) {
        for (int status : ok) {
            if (response.statusCode() == status) {
                return;
            }
        }
        String body = response.body();
        throw new Refused(response.statusCode(), response.request().method() + " " + response.request().uri().getPath() + " answered "
                + response.statusCode() + ": " + (body.length() > 500 ? body.substring(0, 500) + "..." : body));
    }

    /** A request answered with a status the caller did not expect. */
    public static final class Refused extends IllegalStateException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        /** 5xx, 429 or 408: the same request may pass later. */
        public boolean transientFailure() {
            return status >= 500 || status == 429 || status == 408;
        }
    }
}
