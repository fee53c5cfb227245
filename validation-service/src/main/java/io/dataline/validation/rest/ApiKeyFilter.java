package io.dataline.validation.rest;

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
 * {@code /q} endpoints are not behind this filter. A key limited to some datasets may use only their reports, and must
 * name one when it lists.
 */
public class ApiKeyFilter {

    private final ApiKeyCheck check;

    ApiKeyFilter(@ConfigProperty(name = "dataline.dataset-service.url") String datasetService,
            @ConfigProperty(name = "dataline.service-key") String serviceKey,
            @ConfigProperty(name = "dataline.auth.cache-ttl", defaultValue = "5s") Duration ttl) {
        this.check = new ApiKeyCheck(new KeyIntrospector(datasetService, serviceKey, ttl));
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return check.check(request.getHeaderString(HttpHeaders.AUTHORIZATION), ApiKeyCheck.scopeFor(request.getMethod()),
                () -> dataset(path, request.getUriInfo().getQueryParameters().getFirst("dataset"))).refusal();
    }

    /** The dataset a request names: {@code reports/{dataset}/...} or {@code reports?dataset=}. */
    static String dataset(String path, String datasetParameter) {
        String[] segments = path.replaceAll("^/+", "").split("/");
        return segments.length >= 2 && segments[0].equals("reports") ? segments[1] : datasetParameter;
    }
}
