package io.dataline.dataset.rest;

import java.util.List;
import java.util.Map;

/** Ends a request with a problem document. Messages are for the client: never put secrets in them. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Map<String, Object>> errors;
    private final Long totalErrors;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, List.of(), null);
    }

    public ProblemException(int status, String title, String detail, List<Map<String, Object>> errors, Long totalErrors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors;
        this.totalErrors = totalErrors;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail);
    }

    /** 422 with one error per invalid field. */
    public static ProblemException invalid(String detail, List<Map<String, Object>> errors) {
        return new ProblemException(422, "Unprocessable Content", detail, errors, null);
    }

    public static ProblemException invalid(String detail, String pointer, String message) {
        return invalid(detail, List.of(Map.of("pointer", pointer, "message", message)));
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), errors.isEmpty() ? null : errors, totalErrors);
    }

    public int status() {
        return status;
    }
}
