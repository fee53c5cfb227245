package io.dataline.service.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The one error shape of every service: an RFC 9457 problem document ({@code application/problem+json}) with a
 * machine-readable {@code errors} list (each entry at least a {@code message}, often a JSON {@code pointer});
 * {@code totalErrors} says how many there were when the list was cut short.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<Map<String, Object>> errors, Long totalErrors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String detail) {
        return new Problem("about:blank", title(status), status, detail, null, null);
    }

    static String title(int status) {
        jakarta.ws.rs.core.Response.Status known = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }
}
