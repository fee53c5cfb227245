package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Checks on record values that JSON Schema does not make: every number a finite double, every integer in int64. */
final class RecordChecks {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private RecordChecks() {
    }

    /** Adds a {@code (pointer, message)} pair for every number that cannot be stored exactly enough. */
    static void numbers(JsonNode node, String pointer, List<String[]> problems) {
        if (node.isNumber()) {
            if (node.isIntegralNumber()) {
                BigInteger value = node.bigIntegerValue();
                if (value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0) {
                    problems.add(new String[] {pointer, "integer outside int64 (write it as a decimal number if it is not an integer)"});
                }
            } else if (!Double.isFinite(node.doubleValue())) {
                problems.add(new String[] {pointer, "number is not a finite double"});
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                numbers(node.get(i), pointer + "/" + i, problems);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                numbers(field.getValue(), pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), problems);
            }
        }
    }
}
