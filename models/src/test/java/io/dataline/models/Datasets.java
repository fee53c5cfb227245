package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The public data sets under {@code src/test/resources/datasets} and a generated customer-feedback text set. */
final class Datasets {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Held so the level sticks: Tribuo reports every training at INFO. */
    private static final java.util.logging.Logger TRIBUO = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO.setLevel(java.util.logging.Level.WARNING);
    }

    private Datasets() {
    }

    static List<JsonNode> load(String name) {
        List<JsonNode> records = new ArrayList<>();
        try (var in = Datasets.class.getResourceAsStream("/datasets/" + name);
             var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                records.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return records;
    }

    /** Generated feedback (test-support's {@code SampleRecords}) as JSON records. */
    static List<JsonNode> feedback(int n, long seed) {
        return io.dataline.testsupport.SampleRecords.feedback(n, seed).stream().map(r -> (JsonNode) JSON.valueToTree(r)).toList();
    }

    record Split(List<JsonNode> train, List<JsonNode> heldOut) {
    }

    static Split split(List<JsonNode> records, TrainingSpec spec, String key) {
        HoldoutSplit split = HoldoutSplit.of(spec);
        List<JsonNode> train = new ArrayList<>();
        List<JsonNode> heldOut = new ArrayList<>();
        for (JsonNode record : records) {
            (split.isHeldOut(record.get(key)) ? heldOut : train).add(record);
        }
        return new Split(train, heldOut);
    }

    static TrainingSpec numericSpec(String label, List<JsonNode> records) {
        ObjectNode spec = JSON.createObjectNode().put("labelField", label);
        var features = spec.putArray("features");
        records.get(0).fieldNames().forEachRemaining(f -> {
            if (!f.equals("id") && !f.equals(label)) {
                features.addObject().put("field", f).put("type", "numeric");
            }
        });
        return TrainingSpec.parse(spec);
    }
}
