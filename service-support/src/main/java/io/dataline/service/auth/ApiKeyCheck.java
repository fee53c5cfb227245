package io.dataline.service.auth;

import io.dataline.service.rest.ProblemException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * The request check every pipeline service applies to its REST API: {@code Authorization: Bearer <key>} required
 * (401 without, or with an unknown key), the scope the request needs present (403 otherwise), 503 when keys cannot be
 * checked. The service says which scope a request needs.
 */
public final class ApiKeyCheck {

    /** The outcome: the caller, or the response that refuses the request. */
    public record Outcome(Optional<Principal> caller, Optional<Response> refusal) {
    }

    private final KeyIntrospector introspector;

    public ApiKeyCheck(KeyIntrospector introspector) {
        this.introspector = introspector;
    }

    /**
     * Checks the key and scope, and for a key limited to some datasets that the request names one of them:
     * {@code dataset} is the dataset or model the request names ({@code null}: none, e.g. a list of everything,
     * which a limited key may not see).
     */
    public Outcome check(String authorization, String neededScope, java.util.function.Supplier<String> dataset) {
        Outcome outcome = check(authorization, neededScope);
        if (outcome.caller().isEmpty() || !outcome.caller().get().restricted()) {
            return outcome;
        }
        String named = dataset.get();
        if (named == null) {
            return refuse(ProblemException.response(403, "this API key is limited to some datasets: name one (a dataset or model)"));
        }
        if (!outcome.caller().get().mayUse(named)) {
            return refuse(ProblemException.response(403, "this API key is not allowed to use dataset \"" + named + "\""));
        }
        return outcome;
    }

    public Outcome check(String authorization, String neededScope) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(unauthorized("an API key is required: Authorization: Bearer <key>"));
        }
        Optional<Principal> principal;
        try {
            principal = introspector.introspect(authorization.substring(7).trim());
        } catch (IntrospectionUnavailableException e) {
            return refuse(ProblemException.response(503, e.getMessage()));
        }
        if (principal.isEmpty()) {
            return refuse(unauthorized("the API key is unknown or revoked"));
        }
        if (!principal.get().has(neededScope)) {
            return refuse(ProblemException.response(403, "this request needs the " + neededScope + " scope"));
        }
        return new Outcome(principal, Optional.empty());
    }

    /** GET and HEAD need read; anything else write. */
    public static String scopeFor(String method) {
        return method.equals("GET") || method.equals("HEAD") ? "read" : "write";
    }

    private static Outcome refuse(Response response) {
        return new Outcome(Optional.empty(), Optional.of(response));
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(ProblemException.response(401, detail)).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
