package io.dataline.validation.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the checks need from the parent version, gathered in one streaming pass: its record count, and for each
 * drift field the category counts and the numeric values.
 */
public final class ParentProfile {

    final Map<String, FieldProfile> fields = new HashMap<>();
    long records;

    public ParentProfile(List<ValidationRules.DriftRule> drift) {
        drift.forEach(rule -> fields.put(rule.field(), new FieldProfile()));
    }

    public void accept(JsonNode record) {
        records++;
        fields.forEach((name, profile) -> profile.add(record.get(name)));
    }

    /** Category counts and numeric values of one field. */
    static final class FieldProfile {
        final Map<String, Long> categories = new HashMap<>();
        double[] numbers = new double[64];
        int numberCount;
        long nonNumeric;

        void add(JsonNode value) {
            if (value == null || value.isNull()) {
                return;
            }
            categories.merge(value.isTextual() ? value.textValue() : value.toString(), 1L, Long::sum);
            if (value.isNumber()) {
                if (numberCount == numbers.length) {
                    numbers = java.util.Arrays.copyOf(numbers, numbers.length * 2);
                }
                numbers[numberCount++] = value.doubleValue();
            } else {
                nonNumeric++;
            }
        }

        double[] numbers() {
            return java.util.Arrays.copyOf(numbers, numberCount);
        }
    }
}
