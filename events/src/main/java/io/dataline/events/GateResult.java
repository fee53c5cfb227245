package io.dataline.events;

/**
 * One promotion gate as evaluated: the metric, the rule ({@code min}, {@code max}, {@code maxRegression},
 * {@code maxRelativeRegression}, {@code requireImprovement}), its threshold, the measured value ({@code null} when
 * it could not be measured) and whether it passed.
 */
public record GateResult(String metric, String rule, double threshold, Double value, boolean passed) {
}
