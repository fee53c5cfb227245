package io.dataline.dataset.rest;

import io.dataline.dataset.service.ApiKeyService;
import io.dataline.dataset.service.Scope;
import io.dataline.service.rest.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The non-application endpoints ({@code /q/openapi}, {@code /q/metrics}, ...) are not JAX-RS resources, so the
 * authentication filter does not see them: this route filter asks them for a key with the read scope too. Only
 * {@code /q/health*} stays open, for probes.
 */
@ApplicationScoped
public class OperationalEndpointsGuard {

    @Inject
    ApiKeyService keys;

    @RouteFilter(100)
    void guard(RoutingContext context) {
        String path = context.normalizedPath();
        if (!path.startsWith("/q/") || path.startsWith("/q/health")) {
            context.next();
            return;
        }
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(context, 401, "an API key is required: Authorization: Bearer <key>");
            return;
        }
        String presented = header.substring(7).trim();
        context.vertx().<Boolean>executeBlocking(() -> QuarkusTransaction.requiringNew()
                .call(() -> keys.authenticate(presented).map(p -> p.has(Scope.READ)).orElse(false)))
                .onComplete(result -> {
                    if (result.succeeded() && Boolean.TRUE.equals(result.result())) {
                        context.next();
                    } else {
                        refuse(context, 401, "the API key is unknown or revoked");
                    }
                });
    }

    private static void refuse(RoutingContext context, int status, String detail) {
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader("WWW-Authenticate", "Bearer")
                .end("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }
}
