package io.dataline.validation.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The outcome of one check: its name, the field ({@code null} for dataset-wide checks), whether it passed, the
 * measured value and the threshold (any JSON value), up to {@value ContractChecker#MAX_OFFENDING_KEYS} offending
 * record keys with their total count, and a note (e.g. why a check did not apply).
 */
public record CheckResult(String check, String field, boolean passed, JsonNode value, JsonNode threshold, List<String> offendingKeys,
        long offendingCount, String note) {
}
