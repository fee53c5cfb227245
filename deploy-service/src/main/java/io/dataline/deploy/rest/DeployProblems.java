package io.dataline.deploy.rest;

import io.dataline.deploy.service.ConcurrentMoveException;
import io.dataline.deploy.service.RegistryUnavailableException;
import io.dataline.deploy.serving.PromotionRefusedException;
import io.dataline.service.rest.ProblemException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** deploy-service's own exceptions as problem+json; everything else is mapped by service-support's {@code ProblemMappers}. */
public class DeployProblems {

    @ServerExceptionMapper
    public Response refused(PromotionRefusedException e) {
        return ProblemException.response(409, e.getMessage());
    }

    @ServerExceptionMapper
    public Response concurrent(ConcurrentMoveException e) {
        return ProblemException.response(409, e.getMessage());
    }

    @ServerExceptionMapper
    public Response registryUnavailable(RegistryUnavailableException e) {
        return ProblemException.response(503, e.getMessage());
    }
}
