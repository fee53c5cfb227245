package io.dataline.models;

import java.util.Locale;
import java.util.Optional;

/** How a record field becomes model input: words of a text, a standardized number, or a one-hot category. */
public enum FeatureType {
    TEXT, NUMERIC, CATEGORICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FeatureType> of(String wireName) {
        for (FeatureType type : values()) {
            if (type.wireName().equals(wireName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
