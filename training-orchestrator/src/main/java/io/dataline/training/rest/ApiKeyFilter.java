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
 */
public class ApiKeyFilter {

    private final ApiKeyCheck check;
    private final CallerName caller;

    ApiKeyFilter(@ConfigProperty(name = "dataline.dataset-service.url") String datasetService,
            @ConfigProperty(name = "dataline.service-key") String serviceKey,
            @ConfigProperty(name = "dataline.auth.cache-ttl", defaultValue = "5s") Duration ttl, CallerName caller) {
        this.check = new ApiKeyCheck(new KeyIntrospector(datasetService, serviceKey, ttl));
        this.caller = caller;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (request.getMethod().equals("PUT") && UPLOAD.matcher(path).matches()) {
            return Optional.empty();
        }
        ApiKeyCheck.Outcome outcome = check.check(request.getHeaderString(HttpHeaders.AUTHORIZATION), scope(request.getMethod(), path));
        outcome.caller().ifPresent(p -> caller.set(p.name()));
        return outcome.refusal();
    }

    static String scope(String method, String path) {
        return method.equals("POST") && COMPARE.matcher(path).matches() ? "read" : ApiKeyCheck.scopeFor(method);
    }

    private static final java.util.regex.Pattern UPLOAD = java.util.regex.Pattern.compile("/?runs/[^/]+/outputs/[^/]+");
    private static final java.util.regex.Pattern COMPARE = java.util.regex.Pattern.compile("/?models/[^/]+/versions/[^/]+/compare");
}
