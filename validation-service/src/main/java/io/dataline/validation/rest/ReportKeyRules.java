package io.dataline.validation.rest;

import io.dataline.service.rest.ApiKeyRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * API keys on validation-service (checked by the shared filter): GET needs read, a rerun write; a key limited to some
 * datasets may use only their reports, and must name one when it lists.
 */
@ApplicationScoped
public class ReportKeyRules implements ApiKeyRules {

    /** The dataset a request names: {@code reports/{dataset}/...} or {@code reports?dataset=}. */
    @Override
    public String dataset(String[] segments, ContainerRequestContext request) {
        return segments.length >= 2 && segments[0].equals("reports") ? segments[1] : request.getUriInfo().getQueryParameters().getFirst("dataset");
    }
}
