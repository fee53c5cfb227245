package io.dataline.models;

/** One input field of a model and how it is encoded. */
public record FeatureSpec(String field, FeatureType type) {
}
