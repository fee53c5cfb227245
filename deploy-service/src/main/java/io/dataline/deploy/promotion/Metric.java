package io.dataline.deploy.promotion;

import io.dataline.events.ModelMetrics;
import io.dataline.events.WireNamed;
import java.util.Optional;

/** The metrics a promotion policy can name, and which way is better. */
public enum Metric implements WireNamed {
    ACCURACY, MACRO_F1, LOG_LOSS; // on the wire: accuracy, macroF1, logLoss

    /** Log loss is the one metric where lower is better. */
    public boolean higherIsBetter() {
        return this != LOG_LOSS;
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
        return higherIsBetter() ? candidate - baseline : baseline - candidate;
    }

    public static Optional<Metric> parse(String name) {
        return WireNamed.parse(Metric.class, name);
    }
}
