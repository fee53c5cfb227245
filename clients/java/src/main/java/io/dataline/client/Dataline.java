package io.dataline.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The entry point of the Java SDK:
 * <pre>{@code
 * Dataline dataline = Dataline.connect("http://127.0.0.1:8080", apiKey);
 * Version v = dataline.dataset("Customer Feedback Analysis").add(records).delete("usr_001").commit("Added Q4 2023 feedback data");
 * dataline.dataset("Customer Feedback Analysis").pipeline(v.hash());
 * }</pre>
 * Thread-safe; one instance per service URL and key.
 */
public final class Dataline {

    static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** Answers that say "not now": any request may be sent again. */
    private static final java.util.Set<Integer> RETRIED = java.util.Set.of(429, 503);
    /** Answers that may come after the request took effect: only a request that is safe to repeat is sent again. */
    private static final java.util.Set<Integer> RETRIED_IF_SAFE = java.util.Set.of(502, 504);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final String baseUrl;
    private final String apiKey;
    private final int retries;
    private final Duration backoff;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Dataline(String baseUrl, String apiKey, int retries, Duration backoff) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.apiKey = apiKey;
        this.retries = retries;
        this.backoff = backoff;
    }

    /** A client for dataset-service at {@code url} (e.g. {@code http://127.0.0.1:8080}) with an API key. */
    public static Dataline connect(String url, String apiKey) {
        if (url == null || !url.matches("https?://.+")) {
            throw new IllegalArgumentException("url must be an http(s) URL of dataset-service");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("an API key is required");
        }
        return new Dataline(url, apiKey, 4, Duration.ofMillis(250));
    }

    /**
     * This client with another retry policy: each request (but a streamed upload) is retried {@code retries} times
     * after 429 or 503, and after 502, 504 or no answer when it is safe to repeat (reads, deletes, staging, commits
     * with their Idempotency-Key), waiting {@code firstBackoff}, doubled per retry with jitter, at most 10 s,
     * or what the server's {@code Retry-After} says (default: 4 retries from 250 ms).
     */
    public Dataline withRetries(int retries, Duration firstBackoff) {
        if (retries < 0 || firstBackoff.isNegative()) {
            throw new IllegalArgumentException("retries and back-off must not be negative");
        }
        return new Dataline(baseUrl, apiKey, retries, firstBackoff);
    }

    /** A dataset by name or slug (nothing is called until an operation runs). */
    public DatasetHandle dataset(String nameOrSlug) {
        return new DatasetHandle(this, nameOrSlug);
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode call(String method, String path, Object body) {
        return call(method, path, body, Map.of());
    }

    /** A JSON call with extra headers (e.g. an Idempotency-Key), retried as {@link #withRetries} says. */
    JsonNode call(String method, String path, Object body, Map<String, String> headers) {
        return call(method, path, body, headers, !method.equals("POST") || headers.containsKey("Idempotency-Key"));
    }

    /** A POST that is safe to repeat (staging upserts, opening a change set): retried after a lost answer too. */
    JsonNode callIdempotent(String path, Object body) {
        return call("POST", path, body, Map.of(), true);
    }

    private JsonNode call(String method, String path, Object body, Map<String, String> headers, boolean safe) {
        HttpResponse<String> response = sendRetrying(() -> request(path, "application/json", method, body, headers),
                HttpResponse.BodyHandlers.ofString(), safe);
        check(response.statusCode(), response.body());
        try {
            return response.body() == null || response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DatalineException.Unavailable(response.statusCode(), "dataset-service answered with bad JSON", e);
        }
    }

    <T> T call(String method, String path, Object body, Class<T> type) {
        return JSON.convertValue(call(method, path, body), type);
    }

    /** POSTs a body streamed from {@code in} (never held in memory whole), reporting bytes sent. */
    JsonNode upload(String path, String contentType, InputStream in, java.util.function.LongConsumer progress) {
        return upload(path, contentType, in, progress, null);
    }

    JsonNode upload(String path, String contentType, InputStream in, java.util.function.LongConsumer progress, String idempotencyKey) {
        long[] sent = {0};
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofHours(2))
                .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json").header("Content-Type", contentType);
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        HttpRequest request = builder
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.FilterInputStream(in) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            sent[0] += n;
                            progress.accept(sent[0]);
                        }
                        return n;
                    }
                })).build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        check(response.statusCode(), response.body());
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DatalineException.Unavailable(response.statusCode(), "dataset-service answered with bad JSON", e);
        }
    }

    InputStream stream(String path, String accept) {
        HttpResponse<InputStream> response = sendRetrying(() -> request(path, accept, "GET", null, Map.of()),
                HttpResponse.BodyHandlers.ofInputStream(), true);
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                check(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new DatalineException.Unavailable(response.statusCode(), "dataset-service answered " + response.statusCode(), e);
            }
        }
        return response.body();
    }

    private HttpRequest request(String path, String accept, String method, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + apiKey).header("Accept", accept);
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } catch (IOException e) {
                throw new IllegalArgumentException("the body cannot be written as JSON: " + e.getMessage(), e);
            }
        }
        return request.build();
    }

    /**
     * Sends the request {@code next} builds, again after 429 or 503, and after 502, 504 or no answer when it is
     * {@code safe} to repeat, while retries remain.
     */
    private <T> HttpResponse<T> sendRetrying(java.util.function.Supplier<HttpRequest> next, HttpResponse.BodyHandler<T> handler, boolean safe) {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<T> response;
            try {
                response = send(next.get(), handler);
            } catch (DatalineException.Unavailable noAnswer) {
                if (attempt >= retries || !safe) {
                    throw noAnswer;
                }
                pause(attempt, java.util.Optional.empty());
                continue;
            }
            boolean again = RETRIED.contains(response.statusCode()) || (safe && RETRIED_IF_SAFE.contains(response.statusCode()));
            if (!again || attempt >= retries) {
                return response;
            }
            if (response.body() instanceof InputStream body) {
                try (body) {
                    body.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the next attempt is what matters
                }
            }
            pause(attempt, response.headers().firstValue("Retry-After"));
        }
    }

    private void pause(int attempt, java.util.Optional<String> retryAfter) {
        long millis;
        try {
            millis = Math.min(MAX_BACKOFF.toMillis(), Math.round(Double.parseDouble(retryAfter.orElseThrow()) * 1000));
        } catch (RuntimeException noUsableRetryAfter) {
            long ceiling = Math.min(MAX_BACKOFF.toMillis(), backoff.toMillis() << Math.min(attempt, 20));
            millis = ceiling / 2 + (long) (Math.random() * (ceiling / 2.0));
        }
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatalineException.Unavailable(0, "interrupted", e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new DatalineException.Unavailable(0, "dataset-service at " + baseUrl + " is unreachable ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatalineException.Unavailable(0, "interrupted", e);
        }
    }

    private static void check(int status, String body) {
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = "dataset-service answered " + status;
        List<Map<String, Object>> errors = null;
        try {
            JsonNode problem = JSON.readTree(body);
            detail = problem.path("detail").asText(detail);
            if (problem.path("errors").isArray()) {
                errors = JSON.convertValue(problem.path("errors"), new TypeReference<List<Map<String, Object>>>() { });
            }
        } catch (IOException | RuntimeException e) {
            // not a problem document: keep the status line
        }
        throw switch (status) {
            case 401 -> new DatalineException.Unauthorized(detail);
            case 403 -> new DatalineException.Forbidden(detail);
            case 404 -> new DatalineException.NotFound(detail);
            case 409 -> new DatalineException.Conflict(detail);
            case 400, 413, 415, 422 -> new DatalineException.Invalid(status, detail, errors);
            default -> status >= 500 || status == 429 ? new DatalineException.Unavailable(status, detail, null) : new DatalineException(status, detail, errors, null);
        };
    }
}
