package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A dataset's {@code pipeline.training} section:
 * <pre>{"labelField": "sentiment", "features": [{"field": "feedback", "type": "text"}], "trainer": "builtin",
 *  "template": null, "params": {}, "holdoutFraction": 0.2, "seed": 42}</pre>
 * {@code trainer} names a back-end ({@code builtin}, {@code process}, {@code kubernetes}, …); {@code template} names an
 * operator-configured command or image for the back-ends that run one. Parsing reports every problem at once.
 */
public record TrainingSpec(String labelField, List<FeatureSpec> features, String trainer, String template, ObjectNode params,
        double holdoutFraction, long seed) {

    public static final double DEFAULT_HOLDOUT_FRACTION = 0.2;
    public static final long DEFAULT_SEED = 42;
    private static final Set<String> KNOWN = Set.of("labelField", "features", "trainer", "template", "params", "holdoutFraction", "seed");

    /** The spec of a pipeline revision, or empty when the revision has no {@code training} section. */
    public static Optional<TrainingSpec> fromPipeline(JsonNode pipeline) {
        JsonNode training = pipeline == null ? null : pipeline.get("training");
        if (training == null || training.isNull() || training.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(parse(training));
    }

    public static TrainingSpec parse(JsonNode json) {
        List<String> problems = new ArrayList<>();
        if (json == null || !json.isObject()) {
            throw new InvalidSpecException(List.of("/training: must be an object"));
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN.contains(name)) {
                problems.add("/training/" + name + ": unknown property (" + String.join(", ", KNOWN.stream().sorted().toList()) + ")");
            }
        }
        String label = text(json, "labelField", problems, true);
        List<FeatureSpec> features = new ArrayList<>();
        JsonNode list = json.get("features");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problems.add("/training/features: must be a non-empty array of {field, type}");
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode feature = list.get(i);
                String at = "/training/features/" + i;
                String field = feature.path("field").isTextual() ? feature.path("field").textValue() : null;
                Optional<FeatureType> type = feature.path("type").isTextual() ? FeatureType.of(feature.path("type").textValue()) : Optional.empty();
                if (field == null || field.isBlank()) {
                    problems.add(at + "/field: must be a field name");
                } else if (!seen.add(field)) {
                    problems.add(at + "/field: \"" + field + "\" is listed twice");
                } else if (field.equals(label)) {
                    problems.add(at + "/field: the label field cannot be a feature");
                }
                if (type.isEmpty()) {
                    problems.add(at + "/type: must be one of text, numeric, categorical");
                }
                if (field != null && type.isPresent()) {
                    features.add(new FeatureSpec(field, type.get()));
                }
            }
        }
        String trainer = json.has("trainer") ? text(json, "trainer", problems, true) : "builtin";
        String template = json.hasNonNull("template") ? text(json, "template", problems, true) : null;
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        if (json.hasNonNull("params")) {
            if (json.get("params").isObject()) {
                params = (ObjectNode) json.get("params").deepCopy();
            } else {
                problems.add("/training/params: must be an object");
            }
        }
        double holdout = DEFAULT_HOLDOUT_FRACTION;
        if (json.hasNonNull("holdoutFraction")) {
            JsonNode h = json.get("holdoutFraction");
            if (!h.isNumber() || h.asDouble() <= 0 || h.asDouble() >= 1) {
                problems.add("/training/holdoutFraction: must be a number between 0 and 1 (exclusive)");
            } else {
                holdout = h.asDouble();
            }
        }
        long seed = DEFAULT_SEED;
        if (json.hasNonNull("seed")) {
            if (!json.get("seed").isIntegralNumber() || !json.get("seed").canConvertToLong()) {
                problems.add("/training/seed: must be an integer");
            } else {
                seed = json.get("seed").asLong();
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return new TrainingSpec(label, List.copyOf(features), trainer, template, params, holdout, seed);
    }

    /** The spec as JSON, in the same shape it is written in a pipeline. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("labelField", labelField);
        var list = json.putArray("features");
        features.forEach(f -> list.addObject().put("field", f.field()).put("type", f.type().wireName()));
        json.put("trainer", trainer);
        if (template == null) {
            json.putNull("template");
        } else {
            json.put("template", template);
        }
        json.set("params", params.deepCopy());
        json.put("holdoutFraction", holdoutFraction);
        json.put("seed", seed);
        return json;
    }

    private static String text(JsonNode json, String name, List<String> problems, boolean required) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add("/training/" + name + ": is required");
            }
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            problems.add("/training/" + name + ": must be a non-empty string");
            return null;
        }
        return value.textValue();
    }
}
