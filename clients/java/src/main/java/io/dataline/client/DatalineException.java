package io.dataline.client;

import java.util.List;
import java.util.Map;

/**
 * An error the API returned (its problem document: status, title, detail, and the list of what was wrong when there
 * is one), or no answer at all (status 0). Subclasses name the common cases.
 */
public class DatalineException extends RuntimeException {

    private final int status;
    private final List<Map<String, Object>> errors;

    public DatalineException(int status, String detail, List<Map<String, Object>> errors, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** The HTTP status (0 when the service did not answer). */
    public int status() {
        return status;
    }

    /** Each problem the API listed ({@code pointer}, {@code message}, ... for invalid records). */
    public List<Map<String, Object>> errors() {
        return errors;
    }

    /** 401: no key, or an unknown or revoked one. */
    public static class Unauthorized extends DatalineException {
        public Unauthorized(String detail) {
            super(401, detail, null, null);
        }
    }

    /** 403: the key lacks the scope, or may not use this dataset. */
    public static class Forbidden extends DatalineException {
        public Forbidden(String detail) {
            super(403, detail, null, null);
        }
    }

    /** 404: no such dataset, version or record. */
    public static class NotFound extends DatalineException {
        public NotFound(String detail) {
            super(404, detail, null, null);
        }
    }

    /** 409: the head moved (expected parent), or the name is taken. */
    public static class Conflict extends DatalineException {
        public Conflict(String detail) {
            super(409, detail, null, null);
        }
    }

    /** 400 or 422: the request or its records are invalid; {@link #errors()} says where. */
    public static class Invalid extends DatalineException {
        public Invalid(int status, String detail, List<Map<String, Object>> errors) {
            super(status, detail, errors, null);
        }
    }

    /** The service did not answer, or answered 5xx. */
    public static class Unavailable extends DatalineException {
        public Unavailable(int status, String detail, Throwable cause) {
            super(status, detail, null, cause);
        }
    }
}
