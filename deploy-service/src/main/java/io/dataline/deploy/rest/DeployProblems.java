package io.dataline.deploy.rest;

import io.dataline.deploy.serving.PromotionRefusedException;
import io.dataline.deploy.service.ConcurrentMoveException;
import io.dataline.deploy.service.RegistryUnavailableException;
import io.dataline.service.DatasetServiceUnavailableException;
import io.dataline.service.UnprocessableEventException;
import io.dataline.service.rest.ProblemException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of this service's REST API as {@code application/problem+json} (RFC 9457). */
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    static ProblemException problem(int status, String detail) {
        return new ProblemException(status, detail);
    }

    private static Response response(int status, String detail) {
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
    public Response refused(PromotionRefusedException e) {
        return response(409, e.getMessage());
    }

    @ServerExceptionMapper
    public Response concurrent(ConcurrentMoveException e) {
        return response(409, e.getMessage());
    }

    @ServerExceptionMapper
    public Response registryUnavailable(RegistryUnavailableException e) {
        return response(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response datasetsUnavailable(DatasetServiceUnavailableException e) {
        return response(503, e.getMessage());
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
