package io.dataline.training.rest;

import io.dataline.models.InvalidSpecException;
import io.dataline.service.rest.ProblemException;
import io.dataline.training.service.NoTrainingSpecException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** training-orchestrator's own exceptions as problem+json; everything else is mapped by service-support's {@code ProblemMappers}. */
public class TrainingProblems {

    @ServerExceptionMapper
    public Response invalidSpec(InvalidSpecException e) {
        return ProblemException.withMessages(422, "the dataset's training spec cannot run", e.problems()).toResponse();
    }

    @ServerExceptionMapper
    public Response noSpec(NoTrainingSpecException e) {
        return ProblemException.response(422, e.getMessage());
    }
}
