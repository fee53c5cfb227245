package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;

/** Anything that predicts a label for a record; evaluation needs nothing more. */
public interface Predictor {

    ModelPrediction predict(JsonNode record);
}
