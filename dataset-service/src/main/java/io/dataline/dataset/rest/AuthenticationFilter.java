package io.dataline.dataset.rest;

import io.dataline.dataset.service.ApiKeyService;
import io.dataline.dataset.service.Caller;
import io.dataline.dataset.service.Scope;
import io.dataline.service.rest.Problem;
import io.dataline.service.rest.ProblemMappers;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every API request but reading the OpenLineage facet schemas needs {@code Authorization: Bearer <key>}: no or an unknown key is 401; a key without the scope
 * the request needs is 403 (GET/HEAD need read, other methods write, key management admin; introspection read;
 * webhooks write, reading them too, since their URLs may carry what a reader should not see).
 * Dataset restrictions are checked by the resources once the dataset is resolved.
 */
public class AuthenticationFilter {

    @Inject
    ApiKeyService keys;

    @Inject
    Caller caller;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        if (isPublic(request.getMethod(), request.getUriInfo().getPath())) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(unauthorized("an API key is required: Authorization: Bearer <key>"));
        }
        Optional<Caller.Principal> principal = keys.authenticate(header.substring(7).trim());
        if (principal.isEmpty()) {
            return Optional.of(unauthorized("the API key is unknown or revoked"));
        }
        Scope needed = needed(request.getMethod(), request.getUriInfo().getPath());
        if (!principal.get().has(needed)) {
            return Optional.of(ProblemMappers.respond(new Problem("about:blank", "Forbidden", 403,
                    "this request needs the " + needed.wireName() + " scope", null, null)));
        }
        caller.set(principal.get());
        return Optional.empty();
    }

    /** The only requests without a key: reading the JSON Schemas of Dataline's OpenLineage facets. */
    static boolean isPublic(String method, String path) {
        return (method.equals("GET") || method.equals("HEAD")) && path.matches("/?openlineage/facets/[A-Za-z]+\\.json");
    }

    static Scope needed(String method, String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        if (p.equals("/api-keys/introspect")) {
            return Scope.READ;
        }
        if (p.equals("/api-keys") || p.startsWith("/api-keys/") || p.startsWith("/outbox/") || p.equals("/chunks")
                || p.startsWith("/chunks/")) {
            return Scope.ADMIN;
        }
        if (p.matches("/datasets/[^/]+/branches/.+/protection") && !method.equals("GET") && !method.equals("HEAD")) {
            return Scope.ADMIN; // who may bypass review must not be any writer
        }
        if (p.equals("/webhooks") || p.startsWith("/webhooks/") || (p.startsWith("/datasets/") && (p.endsWith("/webhooks")
                || p.matches("/datasets/[^/]+/webhooks/.*")))) {
            return Scope.WRITE;
        }
        return method.equals("GET") || method.equals("HEAD") ? Scope.READ : Scope.WRITE;
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(ProblemMappers.respond(new Problem("about:blank", "Unauthorized", 401, detail, null, null)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
