package io.dataline.training.rest;

import io.dataline.models.InvalidSpecException;
import io.dataline.service.DatasetServiceUnavailableException;
import io.dataline.service.UnprocessableEventException;
import io.dataline.training.service.NoTrainingSpecException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of this service's REST API as {@code application/problem+json} (RFC 9457). */
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    /** Ends a request with a problem document. */
    public static final class ProblemException extends RuntimeException {
        final int status;

        public ProblemException(int status, String detail) {
            super(detail);
            this.status = status;
        }
    }

    public static ProblemException problem(int status, String detail) {
        return new ProblemException(status, detail);
    }

    public static Response response(int status, String detail, List<String> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        Response.Status known = Response.Status.fromStatusCode(status);
        body.put("title", known == null ? "Error" : known.getReasonPhrase());
        body.put("status", status);
        body.put("detail", detail);
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors);
        }
        return Response.status(status).type("application/problem+json").entity(body).build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return response(e.status, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response unknown(UnprocessableEventException e) {
        return response(404, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response unavailable(DatasetServiceUnavailableException e) {
        return response(503, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response invalidSpec(InvalidSpecException e) {
        return response(422, "the dataset's training spec cannot run", e.problems());
    }

    @ServerExceptionMapper
    public Response noSpec(NoTrainingSpecException e) {
        return response(422, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        return response(e.getResponse().getStatus(), e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof WebApplicationException web) {
            return webApplication(web);
        }
        LOG.error("request failed", e);
        return response(500, "the request failed; see the server log", null);
    }
}
