package io.dataline.deploy.promotion;

import io.dataline.events.ModelMetrics;
import java.util.Optional;

/** The metrics a promotion policy can name, and which way is better. */
public enum Metric {
    ACCURACY("accuracy", true), MACRO_F1("macroF1", true), LOG_LOSS("logLoss", false);

    private final String wireName;
    private final boolean higherIsBetter;

    Metric(String wireName, boolean higherIsBetter) {
        this.wireName = wireName;
        this.higherIsBetter = higherIsBetter;
    }

    public String wireName() {
        return wireName;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public double of(ModelMetrics metrics) {
        return switch (this) {
            case ACCURACY -> metrics.accuracy();
            case MACRO_F1 -> metrics.macroF1();
            case LOG_LOSS -> metrics.logLoss();
        };
    }

    /** How much better the candidate is than the baseline (negative: a regression), in the metric's own units. */
    public double improvement(double candidate, double baseline) {
        return higherIsBetter ? candidate - baseline : baseline - candidate;
    }

    public static Optional<Metric> parse(String name) {
        for (Metric metric : values()) {
            if (metric.wireName.equals(name)) {
                return Optional.of(metric);
            }
        }
        return Optional.empty();
    }
}
