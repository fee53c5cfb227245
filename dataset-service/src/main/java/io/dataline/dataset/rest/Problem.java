package io.dataline.dataset.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document ({@code application/problem+json}) with a machine-readable {@code errors} list;
 * {@code totalErrors} says how many there were when the list was cut short.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<Map<String, Object>> errors, Long totalErrors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
