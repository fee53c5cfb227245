package io.dataline.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One check of a data contract that failed: which check, on which field ({@code null} for dataset-wide checks),
 * the measured value and the threshold it broke (any JSON value: a number, a string, a list of allowed values),
 * and the primary keys of offending records (a bounded sample).
 */
public record FailedCheck(String check, String field, JsonNode value, JsonNode threshold, List<String> offendingKeys) {
}
