package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A predictor's metrics on labelled records, with each prediction in record order. */
public record Evaluation(Metrics metrics, List<JsonNode> records, List<String> truth, List<ModelPrediction> predictions) {

    /** Evaluates on every record that has a label; records without one are left out. */
    public static Evaluation of(Predictor predictor, List<JsonNode> records, String labelField) {
        List<JsonNode> used = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        List<ModelPrediction> predictions = new ArrayList<>();
        for (JsonNode record : records) {
            String label = Labels.of(record, labelField);
            if (label == null) {
                continue;
            }
            used.add(record);
            truth.add(label);
            predictions.add(predictor.predict(record));
        }
        return new Evaluation(Metrics.compute(truth, predictions), used, truth, predictions);
    }
}
