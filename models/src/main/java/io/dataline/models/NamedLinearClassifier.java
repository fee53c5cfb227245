package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A linear classifier over named features: its labels and feature names by position, which its part of the
 * artifact's header holds ({@code labels}, {@code features}) and its entry refers to by position.
 */
abstract class NamedLinearClassifier implements LinearClassifier {

    private final String solver;
    private final List<String> labels;
    private final List<String> featureNames;
    private final Map<String, Integer> positions;

    NamedLinearClassifier(String solver, List<String> labels, List<String> featureNames) {
        this.solver = solver;
        this.labels = List.copyOf(labels);
        this.featureNames = List.copyOf(featureNames);
        this.positions = new HashMap<>();
        for (int i = 0; i < featureNames.size(); i++) {
            positions.put(featureNames.get(i), i);
        }
    }

    /** The feature's position (from 0), or null for a feature the model never saw. */
    final Integer position(String feature) {
        return positions.get(feature);
    }

    final List<String> featureNames() {
        return featureNames;
    }

    /**
     * A weight per label and feature (plus an intercept per label), and per feature its name (String and its bytes,
     * about 56 bytes + its length), its slot in the list and its entry in the positions map (node and Integer, ~56).
     */
    @Override
    public final long approximateHeapBytes() {
        long bytes = 8L * labels.size() * (featureNames.size() + 1);
        for (String name : featureNames) {
            bytes += 120 + name.length();
        }
        return bytes;
    }

    @Override
    public final String solver() {
        return solver;
    }

    @Override
    public final List<String> labels() {
        return labels;
    }

    @Override
    public final ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        labels.forEach(json.putArray("labels")::add);
        featureNames.forEach(json.putArray("features")::add);
        return json;
    }

    /** The header part's {@code labels} or {@code features}: distinct texts, in order. */
    static List<String> names(String solver, JsonNode json, String field) throws IOException {
        JsonNode array = json.path(field);
        if (!array.isArray()) {
            throw new IOException("the header's " + solver + "." + field + " is not an array");
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (JsonNode name : array) {
            if (!name.isTextual() || !names.add(name.asText())) {
                throw new IOException("the header's " + solver + "." + field + " holds " + name + " more than once or not as text");
            }
        }
        return new ArrayList<>(names);
    }
}
