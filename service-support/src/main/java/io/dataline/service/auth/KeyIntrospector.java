package io.dataline.service.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the API keys presented to a service by introspection against dataset-service
 * ({@code POST /api-keys/introspect}, called with the service's own key), so one key works on every service with the
 * same scopes. Answers, valid or not, are cached for {@code ttl} under the key's SHA-256 (never the key itself), so a
 * revoked key stops working within that time. Known and unknown keys are cached apart, each in a bounded
 * least-recently-used map: a flood of random keys evicts only other unknown keys, never the keys in use, so it costs
 * one introspection per random key and none for the real callers. When dataset-service does not answer, the request
 * is refused ({@link IntrospectionUnavailableException}), never let through.
 */
public final class KeyIntrospector {

    private record Cached(Optional<Principal> principal, long expiresAt) {
    }

    static final int MAX_ENTRIES = 10_000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final URI endpoint;
    private final String serviceKey;
    private final Duration ttl;
    private final Map<String, Cached> known;
    private final Map<String, Cached> unknown;

    public KeyIntrospector(String datasetServiceUrl, String serviceKey, Duration ttl) {
        this(datasetServiceUrl, serviceKey, ttl, MAX_ENTRIES);
    }

    /** {@code capacity}: how many known keys, and how many unknown ones, are cached. */
    KeyIntrospector(String datasetServiceUrl, String serviceKey, Duration ttl, int capacity) {
        this.known = lru(capacity);
        this.unknown = lru(capacity);
        this.endpoint = URI.create(datasetServiceUrl.replaceAll("/+$", "") + "/api-keys/introspect");
        this.serviceKey = serviceKey;
        this.ttl = ttl;
    }

    /** The key's principal, or empty for an unknown or revoked key. */
    public Optional<Principal> introspect(String key) {
        String id = sha256(key);
        long now = System.nanoTime();
        Cached cached = known.get(id);
        cached = cached != null ? cached : unknown.get(id);
        if (cached != null && cached.expiresAt() - now > 0) {
            return cached.principal();
        }
        Optional<Principal> principal = ask(key);
        known.remove(id);
        unknown.remove(id);
        (principal.isPresent() ? known : unknown).put(id, new Cached(principal, now + ttl.toNanos()));
        return principal;
    }

    private static Map<String, Cached> lru(int capacity) {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > capacity;
            }
        });
    }

    private Optional<Principal> ask(String key) {
        HttpResponse<String> response;
        try {
            String body = mapper.writeValueAsString(Map.of("key", key));
            response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + serviceKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IntrospectionUnavailableException("dataset-service cannot check API keys right now: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntrospectionUnavailableException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IntrospectionUnavailableException("dataset-service answered " + response.statusCode()
                    + " to this service's introspection request (is DATALINE_SERVICE_KEY valid?)", null);
        }
        try {
            JsonNode answer = mapper.readTree(response.body());
            if (!answer.path("active").asBoolean(false)) {
                return Optional.empty();
            }
            LinkedHashSet<String> scopes = new LinkedHashSet<>();
            answer.path("scopes").forEach(s -> scopes.add(s.asText()));
            return Optional.of(new Principal(answer.path("name").asText("unnamed key"), scopes, texts(answer.path("datasets")),
                    texts(answer.path("datasetSlugs"))));
        } catch (IOException e) {
            throw new IntrospectionUnavailableException("dataset-service answered introspection with bad JSON", e);
        }
    }

    private static List<String> texts(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
