package io.dataline.service.rest;

import io.dataline.service.auth.ApiKeyCheck;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * The one thing a pipeline service tells the shared {@link ApiKeyFilter}: what its requests touch. A service that
 * declares a bean of this type has its REST API behind API keys checked by introspection; dataset-service, which
 * issues the keys, declares none and checks them itself.
 */
public interface ApiKeyRules {

    /**
     * The dataset or model (models are named by their dataset's slug) a request names, for keys limited to some
     * datasets; {@code null} when it names none (a list of everything, which such a key may not see).
     * {@code segments}: the request path split at {@code /}, without leading slashes.
     */
    String dataset(String[] segments, ContainerRequestContext request);

    /** The scope a request needs: by default read for GET and HEAD, write for anything else. */
    default String scope(String method, String path) {
        return ApiKeyCheck.scopeFor(method);
    }

    /** Requests that carry credentials of their own (e.g. a run's upload token), checked by their resource. */
    default boolean exempt(String method, String path) {
        return false;
    }

    /** Requests whose dataset is in the body: the key and scope are checked here, the dataset by the resource. */
    default boolean datasetCheckedByResource(String method, String path) {
        return false;
    }
}
