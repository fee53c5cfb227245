package io.dataline.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Backward compatibility of a JSON Schema with its released baseline: every document valid under the baseline must
 * stay valid under the new schema, so a consumer on the new schema reads everything ever published. The rules,
 * applied at the root and recursively to every {@code properties} and {@code items} sub-schema:
 * <ol>
 * <li>No removed property: every property of the baseline still exists.</li>
 * <li>No retyped property: every JSON type the baseline accepts is still accepted ({@code integer} is accepted by
 * {@code number}; widening, e.g. adding {@code null}, is allowed).</li>
 * <li>No new required property: the new {@code required} list is a subset of the baseline's.</li>
 * <li>No narrowed enum: every baseline enum value is still allowed; adding an enum where there was none is a break.</li>
 * <li>No closed object: {@code additionalProperties: false} may not appear where the baseline allowed extras.</li>
 * <li>No tightened bound: {@code minimum}, {@code minLength}, {@code minItems} may not rise; {@code maximum},
 * {@code maxLength}, {@code maxItems} may not fall or appear; {@code pattern} and {@code format} may not change or
 * appear.</li>
 * <li>Combinators ({@code oneOf}, {@code anyOf}, {@code allOf}, {@code not}, {@code $ref}) are not analysed: any
 * change to one is reported as a break, so a reviewer has to look.</li>
 * </ol>
 * Adding an optional property is compatible (the event schemas have {@code additionalProperties: false}, so old
 * documents never carry it).
 */
final class SchemaCompatibility {

    private static final List<String> LOWER_BOUNDS = List.of("minimum", "exclusiveMinimum", "minLength", "minItems");
    private static final List<String> UPPER_BOUNDS = List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems");
    private static final List<String> EXACT = List.of("pattern", "format", "const");
    private static final List<String> COMBINATORS = List.of("oneOf", "anyOf", "allOf", "not", "$ref");

    private SchemaCompatibility() {
    }

    /** The breaking changes from {@code baseline} to {@code current}, each with its JSON pointer; empty when compatible. */
    static List<String> breakingChanges(JsonNode baseline, JsonNode current) {
        List<String> breaks = new ArrayList<>();
        compare("", baseline, current, breaks);
        return breaks;
    }

    private static void compare(String at, JsonNode old, JsonNode now, List<String> breaks) {
        String where = at.isEmpty() ? "/" : at;
        Set<String> oldTypes = types(old);
        Set<String> newTypes = types(now);
        if (!newTypes.isEmpty()) {
            if (oldTypes.isEmpty()) {
                breaks.add(where + ": type restricted to " + newTypes + " (was any)");
            } else {
                for (String type : oldTypes) {
                    if (!newTypes.contains(type) && !(type.equals("integer") && newTypes.contains("number"))) {
                        breaks.add(where + ": type " + type + " no longer accepted (now " + newTypes + ")");
                    }
                }
            }
        }

        JsonNode oldProps = old.path("properties");
        JsonNode newProps = now.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = oldProps.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode replacement = newProps.get(property.getKey());
            if (replacement == null) {
                breaks.add(at + "/properties/" + property.getKey() + ": property removed");
            } else {
                compare(at + "/properties/" + property.getKey(), property.getValue(), replacement, breaks);
            }
        }
        Set<String> oldRequired = strings(old.path("required"));
        for (String required : strings(now.path("required"))) {
            if (!oldRequired.contains(required)) {
                breaks.add(where + ": property " + required + " became required");
            }
        }
        if (old.has("items") && now.has("items")) {
            compare(at + "/items", old.get("items"), now.get("items"), breaks);
        } else if (now.has("items")) {
            breaks.add(where + ": items constrained (was any)");
        }

        if (now.has("enum")) {
            Set<JsonNode> allowed = new HashSet<>();
            now.get("enum").forEach(allowed::add);
            if (!old.has("enum")) {
                breaks.add(where + ": enum added");
            } else {
                old.get("enum").forEach(value -> {
                    if (!allowed.contains(value)) {
                        breaks.add(where + ": enum value " + value + " removed");
                    }
                });
            }
        }
        boolean oldClosed = old.path("additionalProperties").isBoolean() && !old.get("additionalProperties").asBoolean();
        boolean newClosed = now.path("additionalProperties").isBoolean() && !now.get("additionalProperties").asBoolean();
        if (newClosed && !oldClosed) {
            breaks.add(where + ": additionalProperties closed");
        }

        for (String bound : LOWER_BOUNDS) {
            if (now.has(bound) && (!old.has(bound) || now.get(bound).asDouble() > old.get(bound).asDouble())) {
                breaks.add(where + ": " + bound + " raised to " + now.get(bound));
            }
        }
        for (String bound : UPPER_BOUNDS) {
            if (now.has(bound) && (!old.has(bound) || now.get(bound).asDouble() < old.get(bound).asDouble())) {
                breaks.add(where + ": " + bound + " lowered to " + now.get(bound));
            }
        }
        for (String keyword : EXACT) {
            if (now.has(keyword) && !now.get(keyword).equals(old.get(keyword))) {
                breaks.add(where + ": " + keyword + " changed to " + now.get(keyword));
            }
        }
        for (String keyword : COMBINATORS) {
            if (now.has(keyword) && !now.get(keyword).equals(old.get(keyword))) {
                breaks.add(where + ": " + keyword + " changed (not analysed; review by hand)");
            }
        }
    }

    private static Set<String> types(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return Set.of();
        }
        return type.isArray() ? strings(type) : Set.of(type.asText());
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new HashSet<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
