package io.dataline.dataset.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as {@code application/problem+json}: ours, JAX-RS's (404, 405, 415, ...), malformed JSON, bugs. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.toProblem());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        String where = e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                ? " at " + mismatch.getPathReference()
                : "";
        return respond(new Problem("about:blank", "Bad Request", 400, "malformed JSON body" + where + ": " + e.getOriginalMessage(),
                null, null));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return respond(new Problem("about:blank", title, status, e.getMessage(), null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof WebApplicationException web) {
            return webApplication(web);
        }
        LOG.error("request failed", e);
        return respond(new Problem("about:blank", "Internal Server Error", 500, "the request failed; see the server log", null, null));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    static List<Map<String, Object>> one(String pointer, String message) {
        return List.of(Map.of("pointer", pointer, "message", message));
    }
}
