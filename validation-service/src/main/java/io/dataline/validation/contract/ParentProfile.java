package io.dataline.validation.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the drift checks need from a version, gathered in one streaming pass: its record count, and for each drift
 * field the category counts and the numeric values. Memory is bounded per drift field whatever the version's size: at
 * most {@value #MAX_CATEGORIES} distinct categories (past that the field is marked as overflowing and categorical
 * drift fails with that reason) and a uniform sample of at most {@value #MAX_NUMBERS} numbers (reservoir sampling with
 * a fixed seed, so the same version always gives the same PSI).
 */
public final class ParentProfile {

    static final int MAX_CATEGORIES = 10_000;
    static final int MAX_NUMBERS = 100_000;

    final Map<String, FieldProfile> fields = new HashMap<>();
    long records;

    public ParentProfile(List<ValidationRules.DriftRule> drift) {
        drift.forEach(rule -> fields.put(rule.field(), new FieldProfile()));
    }

    /** A profile of a version that only says how many records it holds: all drift needs when no field is watched. */
    public static ParentProfile counted(long records) {
        ParentProfile profile = new ParentProfile(List.of());
        profile.records = records;
        return profile;
    }

    /** The drift fields it profiles. */
    public java.util.Set<String> fieldNames() {
        return java.util.Set.copyOf(fields.keySet());
    }

    /** Roughly how much heap it holds: its categories and its sampled numbers. */
    public long estimatedBytes() {
        long bytes = 64;
        for (FieldProfile field : fields.values()) {
            bytes += 64L * field.categories.size() + 8L * field.numbers.length;
        }
        return bytes;
    }

    public void accept(JsonNode record) {
        records++;
        fields.forEach((name, profile) -> profile.add(record.get(name)));
    }

    /** Category counts and a sample of the numbers of one field. */
    static final class FieldProfile {
        final Map<String, Long> categories = new HashMap<>();
        boolean overflow;
        long values;
        long nonNumeric;
        long numberTotal;
        private double[] numbers = new double[64];
        private int sampled;
        private final SplittableRandom random = new SplittableRandom(0x5EED);

        void add(JsonNode value) {
            if (value == null || value.isNull()) {
                return;
            }
            values++;
            String category = value.isTextual() ? value.textValue() : value.toString();
            if (categories.size() < MAX_CATEGORIES || categories.containsKey(category)) {
                categories.merge(category, 1L, Long::sum);
            } else {
                overflow = true;
            }
            if (value.isNumber()) {
                sample(value.doubleValue());
            } else {
                nonNumeric++;
            }
        }

        private void sample(double number) {
            numberTotal++;
            if (sampled < MAX_NUMBERS) {
                if (sampled == numbers.length) {
                    numbers = java.util.Arrays.copyOf(numbers, Math.min(MAX_NUMBERS, numbers.length * 2));
                }
                numbers[sampled++] = number;
            } else {
                long slot = random.nextLong(numberTotal);
                if (slot < MAX_NUMBERS) {
                    numbers[(int) slot] = number;
                }
            }
        }

        double[] numbers() {
            return java.util.Arrays.copyOf(numbers, sampled);
        }
    }
}
