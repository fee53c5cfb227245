package io.dataline.training.rest;

import io.dataline.models.InvalidSpecException;
import io.dataline.service.DatasetServiceUnavailableException;
import io.dataline.service.UnprocessableEventException;
import io.dataline.service.rest.ProblemException;
import io.dataline.training.service.NoTrainingSpecException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of this service's REST API as {@code application/problem+json} (RFC 9457). */
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    public static ProblemException problem(int status, String detail) {
        return new ProblemException(status, detail);
    }

    public static Response response(int status, String detail) {
        return ProblemException.response(status, detail, null);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response unknown(UnprocessableEventException e) {
        return response(404, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unavailable(DatasetServiceUnavailableException e) {
        return response(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidSpec(InvalidSpecException e) {
        return ProblemException.response(422, "the dataset's training spec cannot run", e.problems());
    }

    @ServerExceptionMapper
    public Response noSpec(NoTrainingSpecException e) {
        return response(422, e.getMessage());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        return response(e.getResponse().getStatus(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof WebApplicationException web) {
            return webApplication(web);
        }
        LOG.error("request failed", e);
        return response(500, "the request failed; see the server log");
    }
}
