package io.dataline.deploy.rest;

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
 * {@code /q} endpoints are not behind this filter. A key limited to some datasets may use only their models. Predictions change nothing and need read.
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
        ApiKeyCheck.Outcome outcome = check.check(request.getHeaderString(HttpHeaders.AUTHORIZATION), scope(request.getMethod(), path),
                () -> model(path));
        outcome.caller().ifPresent(caller::set);
        return outcome.refusal();
    }

    /** The model a request names ({@code models/{name}/...}); models are named by their dataset's slug. */
    static String model(String path) {
        String[] segments = path.replaceAll("^/+", "").split("/");
        return segments.length >= 2 && segments[0].equals("models") ? segments[1] : null;
    }

    static String scope(String method, String path) {
        return method.equals("POST") && PREDICT.matcher(path).matches() ? "read" : ApiKeyCheck.scopeFor(method);
    }

    private static final java.util.regex.Pattern PREDICT = java.util.regex.Pattern.compile("/?models/[^/]+/staging/predict");
}
