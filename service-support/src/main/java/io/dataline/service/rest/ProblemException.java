package io.dataline.service.rest;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Ends a request with a {@link Problem} document. Messages are for the client: never put secrets in them. Thrown by
 * REST resources; use cases throw their own exceptions, which each service's REST layer maps.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Map<String, Object>> errors;
    private final Long totalErrors;

    public ProblemException(int status, String detail) {
        this(status, Problem.title(status), detail);
    }

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, List.of(), null);
    }

    public ProblemException(int status, String title, String detail, List<Map<String, Object>> errors, Long totalErrors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.totalErrors = totalErrors;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, detail);
    }

    /** 422 with one error per invalid field. */
    public static ProblemException invalid(String detail, List<Map<String, Object>> errors) {
        return new ProblemException(422, "Unprocessable Content", detail, errors, null);
    }

    public static ProblemException invalid(String detail, String pointer, String message) {
        return invalid(detail, List.of(Map.of("pointer", pointer, "message", message)));
    }

    /** A problem whose errors are plain messages ({@code [{"message": ...}]}). */
    public static ProblemException withMessages(int status, String detail, List<String> messages) {
        return new ProblemException(status, Problem.title(status), detail, messages.stream().map(m -> Map.<String, Object>of("message", m)).toList(),
                null);
    }

    public int status() {
        return status;
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), errors.isEmpty() ? null : errors, totalErrors);
    }

    public Response toResponse() {
        return ProblemMappers.respond(toProblem());
    }

    /** A problem response without errors, for filters and mappers. */
    public static Response response(int status, String detail) {
        return ProblemMappers.respond(Problem.of(status, detail));
    }
}
