package io.dataline.models;

import java.util.List;

/** Metrics that do not have the required keys or ranges. */
public class InvalidMetricsException extends IllegalArgumentException {

    public InvalidMetricsException(List<String> problems) {
        super("malformed metrics: " + String.join("; ", problems));
    }
}
