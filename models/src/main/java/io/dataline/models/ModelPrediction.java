package io.dataline.models;

import java.util.Map;

/** A model's answer for one record: the predicted label and the probability of each label. */
public record ModelPrediction(String label, Map<String, Double> scores) {
}
