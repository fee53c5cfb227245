package io.dataline.service.rest;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ends a request with an {@code application/problem+json} document (RFC 9457): status, title, detail and, when there
 * is more than one thing wrong, {@code errors}. Services map it (and their other exceptions) with {@link #response}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final List<String> errors;

    public ProblemException(int status, String detail) {
        this(status, detail, List.of());
    }

    public ProblemException(int status, String detail, List<String> errors) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public Response toResponse() {
        return response(status, getMessage(), errors);
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
}
