package io.dataline.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.deploy.config.DeployConfig;
import io.dataline.service.ServiceCalls;
import io.dataline.service.SharedSettings;
import io.dataline.service.UnprocessableEventException;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * training-orchestrator's model registry over HTTP, with this service's key: a version's lineage, its held-out sample,
 * its artifact (by the URI the event named, size-limited) and comparing two versions. 404 →
 * {@link UnprocessableEventException}; 409 from compare → {@link NotComparableException}; no answer →
 * {@link RegistryUnavailableException} (retried).
 */
@Singleton
public class RegistryClient {

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final DeployConfig config;
    private final String serviceKey;

    RegistryClient(ObjectMapper mapper, DeployConfig config, SharedSettings settings) {
        this.mapper = mapper;
        this.config = config;
        this.serviceKey = settings.requireServiceKey();
        this.http = HttpClient.newBuilder().connectTimeout(config.trainingOrchestrator().connectTimeout()).build();
    }

    public JsonNode version(String model, int version) {
        return json(get(path(model, version)), "version " + version + " of model \"" + model + "\"");
    }

    public JsonNode sample(String model, int version) {
        return json(get(path(model, version) + "/sample"), "the held-out sample of " + model + " v" + version);
    }

    /** Evaluates {@code version} and {@code against} on {@code version}'s held-out records. */
    public JsonNode compare(String model, int version, int against) {
        HttpRequest request = request(config.trainingOrchestrator().url() + path(model, version) + "/compare")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(Map.of("against", against)))).build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 409) {
            throw new NotComparableException(detail(response.body()));
        }
        return json(response, model + " v" + version + " compared with v" + against);
    }

    /** Whether a URI names something served by the registry this service is configured with (it gets our key). */
    public boolean onRegistry(String uri) {
        return uri != null && uri.startsWith(config.trainingOrchestrator().url().replaceAll("/+$", "") + "/");
    }

    /**
     * Streams the artifact into {@code out} (never holding it in memory) and returns its SHA-256, computed on the way;
     * refuses more than {@code maxBytes} ({@link ArtifactTooLargeException}).
     */
    public String download(String uri, java.io.OutputStream out, long maxBytes) {
        if (!onRegistry(uri)) {
            throw new IllegalArgumentException("not on the model registry: " + uri);
        }
        HttpResponse<InputStream> response = send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            check(response.statusCode(), "artifact " + uri);
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                total += n;
                if (total > maxBytes) {
                    throw new ArtifactTooLargeException("the artifact " + uri + " is larger than " + maxBytes + " bytes");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new RegistryUnavailableException("downloading " + uri + " failed: " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path) {
        return send(request(config.trainingOrchestrator().url() + path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(config.trainingOrchestrator().requestTimeout())
                .header("Authorization", "Bearer " + serviceKey);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return ServiceCalls.send(http, request, handler, "training-orchestrator", RegistryUnavailableException::new);
    }

    private JsonNode json(HttpResponse<String> response, String what) {
        check(response.statusCode(), what);
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new RegistryUnavailableException("training-orchestrator answered with bad JSON for " + what, e);
        }
    }

    private static void check(int status, String what) {
        if (status == 404) {
            throw new UnprocessableEventException(what + " does not exist in training-orchestrator");
        }
        if (status != 200) {
            throw new RegistryUnavailableException("training-orchestrator answered " + status + " for " + what, null);
        }
    }

    private String detail(String body) {
        try {
            return mapper.readTree(body).path("detail").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(String model, int version) {
        return "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + "/versions/" + version;
    }
}
