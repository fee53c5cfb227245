package io.dataline.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.console.ConsoleSettings;
import io.dataline.console.auth.Session;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The services' REST APIs as the console calls them: always with the person's own key, so every page shows exactly
 * what that key may see and every action is authorised (and audited) by the service that performs it.
 */
@ApplicationScoped
public class Api {

    /** The services, by the name their errors are shown with. */
    public enum Service {
        DATASETS("dataset-service"), VALIDATION("validation-service"), TRAINING("training-orchestrator"), DEPLOY("deploy-service");

        final String label;

        Service(String label) {
            this.label = label;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper mapper;
    private final Map<Service, String> urls;

    Api(ConsoleSettings settings, ObjectMapper mapper) {
        this.mapper = mapper;
        this.urls = Map.of(Service.DATASETS, trim(settings.datasetServiceUrl()), Service.VALIDATION, trim(settings.validationServiceUrl()),
                Service.TRAINING, trim(settings.trainingOrchestratorUrl()), Service.DEPLOY, trim(settings.deployServiceUrl()));
    }

    /** One path segment, escaped (dataset slugs, versions, record keys). */
    public static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public JsonNode get(Session session, Service service, String path) {
        return join(getAsync(session, service, path));
    }

    /** The answer, or empty for a 404. */
    public Optional<JsonNode> find(Session session, Service service, String path) {
        try {
            return Optional.of(get(session, service, path));
        } catch (ApiException e) {
            if (e.status == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public CompletableFuture<JsonNode> getAsync(Session session, Service service, String path) {
        return send(service, request(session.key(), service, path).GET().build()).thenApply(this::json);
    }

    /** Lines of an NDJSON answer (a page of records). */
    public List<JsonNode> lines(Session session, Service service, String path) {
        String body = join(send(service, request(session.key(), service, path).header("Accept", "application/x-ndjson").GET().build()));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                lines.add(json(line));
            }
        }
        return lines;
    }

    /** A POST with a JSON body ({@code null}: none), as the person. */
    public JsonNode post(Session session, Service service, String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = HttpRequest.BodyPublishers.ofString(body == null ? "" : mapper.writeValueAsString(body), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return json(join(send(service, request(session.key(), service, path).header("Content-Type", "application/json").POST(publisher).build())));
    }

    /** dataset-service's answer about a key, asked with the key itself (any valid key may introspect itself). */
    public JsonNode introspect(String key) {
        try {
            HttpRequest request = request(key, Service.DATASETS, "/api-keys/introspect").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(Map.of("key", key)), StandardCharsets.UTF_8)).build();
            return json(join(send(Service.DATASETS, request)));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private HttpRequest.Builder request(String key, Service service, String path) {
        return HttpRequest.newBuilder(URI.create(urls.get(service) + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + key)
                .header("Accept", "application/json");
    }

    private CompletableFuture<String> send(Service service, HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).handle((response, failure) -> {
            if (failure != null) {
                throw new ApiException(502, service.label, service.label + " did not answer: " + rootMessage(failure));
            }
            if (response.statusCode() >= 300) {
                throw new ApiException(response.statusCode(), service.label, detail(response));
            }
            return response.body();
        });
    }

    private String detail(HttpResponse<String> response) {
        try {
            JsonNode problem = mapper.readTree(response.body());
            String detail = problem.path("detail").asText(problem.path("title").asText(""));
            if (!detail.isBlank()) {
                return detail;
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through: the status says it
        }
        return "HTTP " + response.statusCode();
    }

    private JsonNode json(String body) {
        try {
            return body.isBlank() ? mapper.nullNode() : mapper.readTree(body);
        } catch (IOException e) {
            throw new ApiException(502, "service", "a service answered with something that is not JSON");
        }
    }

    /** Waits for an asynchronous call, rethrowing its {@link ApiException} as it is. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw e;
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String trim(String url) {
        return url.replaceAll("/+$", "");
    }
}
