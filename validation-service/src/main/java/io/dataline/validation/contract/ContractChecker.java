package io.dataline.validation.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks one version against its data contract in a single streaming pass over its records (memory grows with the
 * number of distinct values tracked, not with the records themselves), then scores drift against the parent's
 * profile ({@link DriftChecks}, bounded by {@link ParentProfile}). Feed every record to {@link #accept}, then call {@link #finish}.
 */
public final class ContractChecker {

    public static final int MAX_OFFENDING_KEYS = 20;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);

    private final ValidationRules rules;
    private final Function<JsonNode, List<String>> schemaCheck;
    private final Map<String, Tally> tallies = new LinkedHashMap<>();
    private final Map<String, Long> nulls = new java.util.TreeMap<>();
    private final List<String> columns;
    private final List<Fingerprints> uniqueSeen = new ArrayList<>();
    private final Fingerprints labelsByText = new Fingerprints();
    private final List<String> labels = new ArrayList<>();
    private final Map<String, Integer> labelIndex = new HashMap<>();
    private final ParentProfile current;
    private long records;

    /** {@code schemaCheck} gives the schema violations of a record (empty when valid). */
    public ContractChecker(ValidationRules rules, Function<JsonNode, List<String>> schemaCheck) {
        this(rules, schemaCheck, List.of());
    }

    /** The same, also counting the null or missing values of {@code columns} (the schema's properties) in every record. */
    public ContractChecker(ValidationRules rules, Function<JsonNode, List<String>> schemaCheck, java.util.Collection<String> columns) {
        this.rules = rules;
        this.schemaCheck = schemaCheck;
        this.columns = columns.stream().filter(c -> !rules.fields().containsKey(c)).toList();
        columns.forEach(c -> nulls.put(c, 0L));
        rules.fields().keySet().forEach(c -> nulls.put(c, 0L));
        this.current = new ParentProfile(rules.drift());
        rules.uniqueBy().forEach(group -> uniqueSeen.add(new Fingerprints()));
    }

    /** One record of the version, with its primary key as text. */
    public void accept(String key, JsonNode record) {
        records++;
        current.accept(record);
        if (!schemaCheck.apply(record).isEmpty()) {
            tally("schema", null).offend(key);
        }
        rules.fields().forEach((field, fieldRules) -> checkField(key, field, record.get(field), fieldRules));
        for (String column : columns) {
            JsonNode value = record.get(column);
            if (value == null || value.isNull()) {
                nulls.merge(column, 1L, Long::sum);
            }
        }
        for (int i = 0; i < rules.uniqueBy().size(); i++) {
            List<String> group = rules.uniqueBy().get(i);
            StringBuilder tuple = new StringBuilder();
            group.forEach(name -> tuple.append(String.valueOf(record.get(name))).append('\u0000'));
            Tally tally = tally("uniqueBy", String.join(",", group));
            if (!uniqueSeen.get(i).add(fingerprint(tuple.toString()))) {
                tally.offend(key);
            }
        }
        ValidationRules.ConflictingLabels conflicting = rules.conflictingLabels();
        if (conflicting != null) {
            JsonNode text = record.get(conflicting.textField());
            JsonNode label = record.get(conflicting.labelField());
            Tally tally = tally("conflictingLabels", conflicting.textField());
            if (text != null && text.isTextual() && label != null && !label.isNull()) {
                long normalized = fingerprint(normalize(text.textValue()));
                String labelText = label.isTextual() ? label.textValue() : label.toString();
                int index = labelIndex.computeIfAbsent(labelText, l -> {
                    labels.add(l);
                    return labels.size() - 1;
                });
                Integer earlier = labelsByText.putIfAbsent(normalized, index);
                if (earlier != null && earlier != index) {
                    tally.offend(key);
                }
            }
        }
    }

    private void checkField(String key, String field, JsonNode value, ValidationRules.FieldRules fieldRules) {
        boolean isNull = value == null || value.isNull();
        if (isNull) {
            nulls.merge(field, 1L, Long::sum);
            if (fieldRules.maxNullFraction() != null) {
                tally("maxNullFraction", field).offend(key);
            }
            return;
        }
        if (fieldRules.allowedValues() != null && fieldRules.allowedValues().stream().noneMatch(allowed -> sameValue(allowed, value))) {
            tally("allowedValues", field).offend(key);
        }
        if (fieldRules.min() != null && (!value.isNumber() || value.doubleValue() < fieldRules.min())) {
            tally("min", field).offend(key);
        }
        if (fieldRules.max() != null && (!value.isNumber() || value.doubleValue() > fieldRules.max())) {
            tally("max", field).offend(key);
        }
        int length = value.isTextual() ? value.textValue().codePointCount(0, value.textValue().length()) : -1;
        if (fieldRules.minLength() != null && (length < 0 || length < fieldRules.minLength())) {
            tally("minLength", field).offend(key);
        }
        if (fieldRules.maxLength() != null && (length < 0 || length > fieldRules.maxLength())) {
            tally("maxLength", field).offend(key);
        }
        if (fieldRules.pattern() != null && (length < 0 || !fieldRules.pattern().matcher(value.textValue()).find())) {
            tally("pattern", field).offend(key);
        }
    }

    /**
     * This version's own drift profile, as it would be gathered reading it again: the drift base of the version committed
     * after it, most often. Read it after {@link #finish}; nothing changes it then.
     */
    public ParentProfile profile() {
        return current;
    }

    /** The verdict: every check with its outcome, and drift scores for every declared drift field. */
    public Outcome finish(Optional<ParentProfile> parent) {
        List<CheckResult> checks = new ArrayList<>();
        checks.add(result("schema", null, JSON.numberNode(count("schema", null)), JSON.numberNode(0), null));
        checks.add(new CheckResult("minRecords", null, records >= rules.minRecords(), JSON.numberNode(records),
                JSON.numberNode(rules.minRecords()), List.of(), 0, null));
        if (rules.maxRecordCountChange() != null) {
            if (parent.isEmpty() || parent.get().records == 0) {
                checks.add(new CheckResult("maxRecordCountChange", null, true, null, JSON.numberNode(rules.maxRecordCountChange()),
                        List.of(), 0, "not applicable: no parent version"));
            } else {
                double change = Math.abs(records - parent.get().records) / (double) parent.get().records;
                checks.add(new CheckResult("maxRecordCountChange", null, change <= rules.maxRecordCountChange(), JSON.numberNode(change),
                        JSON.numberNode(rules.maxRecordCountChange()), List.of(), 0, null));
            }
        }
        rules.fields().forEach((field, fieldRules) -> {
            if (fieldRules.maxNullFraction() != null) {
                double fraction = records == 0 ? 0 : nulls.getOrDefault(field, 0L) / (double) records;
                Tally tally = tallies.get(key("maxNullFraction", field));
                checks.add(new CheckResult("maxNullFraction", field, fraction <= fieldRules.maxNullFraction(), JSON.numberNode(fraction),
                        JSON.numberNode(fieldRules.maxNullFraction()), tally == null ? List.of() : tally.keys,
                        tally == null ? 0 : tally.count, null));
            }
            if (fieldRules.allowedValues() != null) {
                checks.add(result("allowedValues", field, JSON.numberNode(count("allowedValues", field)),
                        JSON.arrayNode().addAll(fieldRules.allowedValues()), null));
            }
            addBound(checks, "min", field, fieldRules.min() == null ? null : JSON.numberNode(fieldRules.min()));
            addBound(checks, "max", field, fieldRules.max() == null ? null : JSON.numberNode(fieldRules.max()));
            addBound(checks, "minLength", field, fieldRules.minLength() == null ? null : JSON.numberNode(fieldRules.minLength()));
            addBound(checks, "maxLength", field, fieldRules.maxLength() == null ? null : JSON.numberNode(fieldRules.maxLength()));
            if (fieldRules.pattern() != null) {
                checks.add(result("pattern", field, JSON.numberNode(count("pattern", field)), JSON.textNode(fieldRules.pattern().pattern()), null));
            }
        });
        rules.uniqueBy().forEach(group -> checks.add(result("uniqueBy", String.join(",", group),
                JSON.numberNode(count("uniqueBy", String.join(",", group))), JSON.numberNode(0), null)));
        if (rules.conflictingLabels() != null) {
            String field = rules.conflictingLabels().textField();
            checks.add(result("conflictingLabels", field, JSON.numberNode(count("conflictingLabels", field)),
                    JSON.textNode(rules.conflictingLabels().labelField()), null));
        }
        List<DriftResult> drift = new ArrayList<>();
        for (ValidationRules.DriftRule rule : rules.drift()) {
            drift.add(DriftChecks.score(rule, current.fields.get(rule.field()), parent.map(p -> p.fields.get(rule.field())), parent.isPresent(),
                    checks));
        }
        return new Outcome(records, checks, drift, Map.copyOf(nulls));
    }

    private void addBound(List<CheckResult> checks, String check, String field, JsonNode threshold) {
        if (threshold != null) {
            checks.add(result(check, field, JSON.numberNode(count(check, field)), threshold, null));
        }
    }

    /** A per-record check: passes when no record offended; the value is the number of offending records. */
    private CheckResult result(String check, String field, JsonNode value, JsonNode threshold, String note) {
        Tally tally = tallies.get(key(check, field));
        long offending = tally == null ? 0 : tally.count;
        return new CheckResult(check, field, offending == 0, value, threshold, tally == null ? List.of() : tally.keys, offending, note);
    }

    private long count(String check, String field) {
        Tally tally = tallies.get(key(check, field));
        return tally == null ? 0 : tally.count;
    }

    private Tally tally(String check, String field) {
        return tallies.computeIfAbsent(key(check, field), k -> new Tally());
    }

    private static String key(String check, String field) {
        return check + "\u0000" + field;
    }

    /** Unicode NFKC, lower-cased, trimmed, runs of white space collapsed to one space. */
    static String normalize(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
        return WHITESPACE.matcher(folded).replaceAll(" ");
    }

    private static boolean sameValue(JsonNode allowed, JsonNode value) {
        if (allowed.isNumber() && value.isNumber()) {
            return allowed.decimalValue().compareTo(value.decimalValue()) == 0;
        }
        return allowed.equals(value);
    }

    private static long fingerprint(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xFF);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The verdict of one version; {@code nullCounts}: how many records have no value (absent or null) in each column of
     * the schema and each field with rules.
     */
    public record Outcome(long records, List<CheckResult> checks, List<DriftResult> drift, Map<String, Long> nullCounts) {
        public boolean passed() {
            return checks.stream().allMatch(CheckResult::passed);
        }

        public List<CheckResult> failed() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }
    }

    /** Offending records of one check: the first keys and the total. */
    private static final class Tally {
        final List<String> keys = new ArrayList<>();
        long count;

        void offend(String key) {
            count++;
            if (keys.size() < MAX_OFFENDING_KEYS) {
                keys.add(key);
            }
        }
    }
}
