package io.dataline.service.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.dataline.service.DatasetServiceUnavailableException;
import io.dataline.service.UnprocessableEventException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every service's errors leave as {@code application/problem+json}: {@link ProblemException}, JAX-RS's own (404,
 * 405, 415, ...), malformed JSON, dataset-service unreachable (503), something named that does not exist (404), and
 * bugs (500, details only in the log). A service adds mappers for its own domain exceptions beside these.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        String where = e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                ? " at " + mismatch.getPathReference()
                : "";
        return respond(Problem.of(400, "malformed JSON body" + where + ": " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response unknown(UnprocessableEventException e) {
        return respond(Problem.of(404, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response datasetServiceUnavailable(DatasetServiceUnavailableException e) {
        return respond(Problem.of(503, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        if (e instanceof jakarta.ws.rs.NotFoundException && e.getCause() instanceof IllegalArgumentException wrong) {
            // JAX-RS answers a query or path parameter it cannot convert (say "many" for a number) with 404, the cause
            // wrapped: that sends a caller looking for a missing endpoint, when the request itself is wrong
            return respond(Problem.of(400, "a query or path parameter is not of its type: " + wrong.getMessage()));
        }
        return respond(Problem.of(e.getResponse().getStatus(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof WebApplicationException web) {
            return webApplication(web);
        }
        LOG.error("request failed", e);
        return respond(Problem.of(500, "the request failed; see the server log"));
    }

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
