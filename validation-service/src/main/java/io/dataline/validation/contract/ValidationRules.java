package io.dataline.validation.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import io.dataline.service.SpecSection;
import io.dataline.service.schema.LinearRegex;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A dataset's data contract, parsed from {@code pipeline.validation}. Absent sections mean no such check; the
 * defaults are a schema re-check and at least one record.
 */
public record ValidationRules(int minRecords, Double maxRecordCountChange, Map<String, FieldRules> fields, List<List<String>> uniqueBy,
        ConflictingLabels conflictingLabels, List<DriftRule> drift) {

    public static final ValidationRules DEFAULTS = new ValidationRules(1, null, Map.of(), List.of(), null, List.of());

    private static final Set<String> TOP = Set.of("minRecords", "maxRecordCountChange", "fields", "uniqueBy", "conflictingLabels", "drift");
    private static final Set<String> FIELD = Set.of("maxNullFraction", "allowedValues", "min", "max", "minLength", "maxLength", "pattern");
    private static final Set<String> DRIFT = Set.of("field", "maxLInfinity", "maxJensenShannon", "maxPsi");

    /**
     * Checks on one field; null = not checked. {@code pattern} is searched in the text, as JSON Schema does, in linear
     * time ({@link LinearRegex}).
     */
    public record FieldRules(Double maxNullFraction, List<JsonNode> allowedValues, Double min, Double max, Integer minLength,
            Integer maxLength, Pattern pattern) {
    }

    /** The same normalized text in {@code textField} must not carry different {@code labelField} values. */
    public record ConflictingLabels(String textField, String labelField) {
    }

    /** A field whose drift is scored; thresholds are optional (scores are computed and stored regardless). */
    public record DriftRule(String field, Double maxLInfinity, Double maxJensenShannon, Double maxPsi) {
    }

    /** The rules in {@code validation} (null or absent = defaults), or the problems as (pointer, message) pairs. */
    public static ValidationRules parse(JsonNode validation, List<String[]> problems) {
        if (!SpecSection.isObject(validation, "/validation", problems)) {
            return DEFAULTS;
        }
        unknown(validation, TOP, "/validation", problems);
        int minRecords = 1;
        if (validation.has("minRecords")) {
            JsonNode node = validation.get("minRecords");
            if (node.isIntegralNumber() && node.asLong() >= 0 && node.canConvertToInt()) {
                minRecords = node.asInt();
            } else {
                problems.add(new String[] {"/validation/minRecords", "must be a non-negative integer"});
            }
        }
        Double maxChange = fraction(validation, "maxRecordCountChange", "/validation", problems, false);

        Map<String, FieldRules> fields = new LinkedHashMap<>();
        JsonNode fieldsNode = validation.path("fields");
        if (!fieldsNode.isMissingNode() && !fieldsNode.isObject()) {
            problems.add(new String[] {"/validation/fields", "must be an object of field name to rules"});
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = fieldsNode.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = "/validation/fields/" + field.getKey();
            JsonNode rules = field.getValue();
            if (!rules.isObject()) {
                problems.add(new String[] {at, "must be an object"});
                continue;
            }
            unknown(rules, FIELD, at, problems);
            List<JsonNode> allowed = null;
            if (rules.has("allowedValues")) {
                if (rules.get("allowedValues").isArray() && !rules.get("allowedValues").isEmpty()) {
                    allowed = new ArrayList<>();
                    rules.get("allowedValues").forEach(allowed::add);
                } else {
                    problems.add(new String[] {at + "/allowedValues", "must be a non-empty array"});
                }
            }
            Pattern pattern = null;
            if (rules.has("pattern")) {
                try {
                    pattern = LinearRegex.compile(rules.get("pattern").asText());
                } catch (LinearRegex.InvalidPattern e) {
                    problems.add(new String[] {at + "/pattern", e.getMessage()});
                }
            }
            fields.put(field.getKey(), new FieldRules(fraction(rules, "maxNullFraction", at, problems, true), allowed,
                    number(rules, "min", at, problems), number(rules, "max", at, problems), length(rules, "minLength", at, problems),
                    length(rules, "maxLength", at, problems), pattern));
        }

        List<List<String>> uniqueBy = new ArrayList<>();
        items(validation, "uniqueBy", "must be an array of field lists", problems, (group, at) -> {
            List<String> names = new ArrayList<>();
            group.forEach(n -> names.add(n.asText()));
            if (!group.isArray() || names.isEmpty() || names.stream().anyMatch(String::isBlank)) {
                problems.add(new String[] {at, "must be a non-empty array of field names"});
            } else {
                uniqueBy.add(List.copyOf(names));
            }
        });

        ConflictingLabels conflicting = null;
        JsonNode conflictNode = validation.path("conflictingLabels");
        if (!conflictNode.isMissingNode()) {
            String text = conflictNode.path("textField").asText("");
            String label = conflictNode.path("labelField").asText("");
            if (text.isBlank() || label.isBlank()) {
                problems.add(new String[] {"/validation/conflictingLabels", "needs textField and labelField"});
            } else {
                conflicting = new ConflictingLabels(text, label);
            }
        }

        List<DriftRule> drift = new ArrayList<>();
        items(validation, "drift", "must be an array", problems, (rule, at) -> {
            unknown(rule, DRIFT, at, problems);
            String field = rule.path("field").asText("");
            if (field.isBlank()) {
                problems.add(new String[] {at + "/field", "is required"});
                return;
            }
            drift.add(new DriftRule(field, fraction(rule, "maxLInfinity", at, problems, true),
                    fraction(rule, "maxJensenShannon", at, problems, true), nonNegative(rule, "maxPsi", at, problems)));
        });
        return new ValidationRules(minRecords, maxChange, fields, uniqueBy, conflicting, drift);
    }

    /** Each item of the optional array {@code validation.name} with its pointer; anything but an array is a problem. */
    private static void items(JsonNode validation, String name, String notAnArray, List<String[]> problems, BiConsumer<JsonNode, String> item) {
        JsonNode node = validation.path(name);
        if (node.isMissingNode()) {
            return;
        }
        if (!node.isArray()) {
            problems.add(new String[] {"/validation/" + name, notAnArray});
            return;
        }
        for (int i = 0; i < node.size(); i++) {
            item.accept(node.get(i), "/validation/" + name + "/" + i);
        }
    }

    private static void unknown(JsonNode object, Set<String> known, String at, List<String[]> problems) {
        object.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                problems.add(new String[] {at + "/" + name, "unknown rule"});
            }
        });
    }

    private static Double number(JsonNode object, String name, String at, List<String[]> problems) {
        if (!object.has(name)) {
            return null;
        }
        JsonNode node = object.get(name);
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            problems.add(new String[] {at + "/" + name, "must be a number"});
            return null;
        }
        return node.asDouble();
    }

    private static Double nonNegative(JsonNode object, String name, String at, List<String[]> problems) {
        Double value = number(object, name, at, problems);
        if (value != null && value < 0) {
            problems.add(new String[] {at + "/" + name, "must not be negative"});
            return null;
        }
        return value;
    }

    private static Double fraction(JsonNode object, String name, String at, List<String[]> problems, boolean atMostOne) {
        Double value = nonNegative(object, name, at, problems);
        if (value != null && atMostOne && value > 1) {
            problems.add(new String[] {at + "/" + name, "must be between 0 and 1"});
            return null;
        }
        return value;
    }

    private static Integer length(JsonNode object, String name, String at, List<String[]> problems) {
        if (!object.has(name)) {
            return null;
        }
        JsonNode node = object.get(name);
        if (!node.isIntegralNumber() || node.asLong() < 0 || !node.canConvertToInt()) {
            problems.add(new String[] {at + "/" + name, "must be a non-negative integer"});
            return null;
        }
        return node.asInt();
    }
}
