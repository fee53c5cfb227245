package io.dataline.training.rest;

import io.dataline.service.auth.ApiKeyCheck;
import io.dataline.service.auth.KeyIntrospector;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * API keys on this service: the keys dataset-service issues, checked by introspection (cached
 * {@code dataline.auth.cache-ttl}, 5 s); GET needs read, anything that changes state write. Health and the other
 * {@code /q} endpoints are not behind this filter. Comparing two versions changes nothing and needs read; a remote
 * trainer's uploads ({@code PUT /runs/{id}/outputs/...}) carry their run's own token instead, checked by the resource.
 * A key limited to some datasets may use only their runs and models, and must name one when it lists.
 */
public class ApiKeyFilter {

    private final ApiKeyCheck check;
    private final CallerName caller;
    private final io.dataline.training.TrainingRunRepository runs;

    ApiKeyFilter(@ConfigProperty(name = "dataline.dataset-service.url") String datasetService,
            @ConfigProperty(name = "dataline.service-key") String serviceKey,
            @ConfigProperty(name = "dataline.auth.cache-ttl", defaultValue = "5s") Duration ttl, CallerName caller,
            io.dataline.training.TrainingRunRepository runs) {
        this.runs = runs;
        this.check = new ApiKeyCheck(new KeyIntrospector(datasetService, serviceKey, ttl));
        this.caller = caller;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (request.getMethod().equals("PUT") && UPLOAD.matcher(path).matches()) {
            return Optional.empty();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String scope = scope(request.getMethod(), path);
        ApiKeyCheck.Outcome outcome = request.getMethod().equals("POST") && path.replaceAll("^/+", "").equals("runs")
                ? check.check(authorization, scope) // the dataset is in the body: RunResource checks it
                : check.check(authorization, scope, () -> dataset(path, request.getUriInfo().getQueryParameters().getFirst("dataset")));
        outcome.caller().ifPresent(caller::set);
        return outcome.refusal();
    }

    /** The dataset or model a request names: {@code models/{name}}, {@code runs?dataset=}, or the dataset of {@code runs/{id}}. */
    private String dataset(String path, String datasetParameter) {
        String[] segments = path.replaceAll("^/+", "").split("/");
        if (segments.length >= 2 && segments[0].equals("models")) {
            return segments[1];
        }
        if (segments.length >= 2 && segments[0].equals("runs")) {
            try {
                java.util.UUID id = java.util.UUID.fromString(segments[1]);
                return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> runs.findByIdOptional(id).map(r -> r.datasetSlug).orElse(""));
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return datasetParameter;
    }

    static String scope(String method, String path) {
        return method.equals("POST") && COMPARE.matcher(path).matches() ? "read" : ApiKeyCheck.scopeFor(method);
    }

    private static final java.util.regex.Pattern UPLOAD = java.util.regex.Pattern.compile("/?runs/[^/]+/outputs/[^/]+");
    private static final java.util.regex.Pattern COMPARE = java.util.regex.Pattern.compile("/?models/[^/]+/versions/[^/]+/compare");
}
