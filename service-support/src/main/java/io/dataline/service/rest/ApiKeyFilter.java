package io.dataline.service.rest;

import io.dataline.service.SharedSettings;
import io.dataline.service.auth.ApiKeyCheck;
import io.dataline.service.auth.KeyIntrospector;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * API keys on a pipeline service's REST API: the keys dataset-service issues, checked by introspection (cached
 * {@code dataline.auth.cache-ttl}, 5 s) with this service's own key; the scope and the dataset a request needs come
 * from the service's {@link ApiKeyRules}. Health, metrics and the other {@code /q} endpoints live on the management
 * interface and are not behind this filter. Without an {@link ApiKeyRules} bean (dataset-service) it does nothing.
 */
public class ApiKeyFilter {

    private final Instance<ApiKeyRules> rules;
    private final CallerName caller;
    private final SharedSettings settings;
    private volatile ApiKeyCheck check;

    ApiKeyFilter(Instance<ApiKeyRules> rules, CallerName caller, SharedSettings settings) {
        this.rules = rules;
        this.caller = caller;
        this.settings = settings;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        if (!rules.isResolvable()) {
            return Optional.empty();
        }
        ApiKeyRules service = rules.get();
        String method = request.getMethod();
        String path = request.getUriInfo().getPath();
        if (service.exempt(method, path)) {
            return Optional.empty();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String scope = path.replaceAll("^/+", "").startsWith("outbox/") ? "admin" : service.scope(method, path); // ops only
        ApiKeyCheck.Outcome outcome = service.datasetCheckedByResource(method, path)
                ? check().check(authorization, scope)
                : check().check(authorization, scope, () -> service.dataset(path.replaceAll("^/+", "").split("/"), request));
        outcome.caller().ifPresent(caller::set);
        return outcome.refusal();
    }

    private ApiKeyCheck check() {
        ApiKeyCheck current = check;
        if (current == null) {
            current = new ApiKeyCheck(new KeyIntrospector(settings.requireDatasetServiceUrl(), settings.requireServiceKey(),
                    settings.auth().cacheTtl()));
            check = current;
        }
        return current;
    }
}
