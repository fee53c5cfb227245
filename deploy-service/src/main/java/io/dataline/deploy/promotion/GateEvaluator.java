package io.dataline.deploy.promotion;

import io.dataline.events.GateResult;
import io.dataline.events.ModelMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies a promotion policy to a candidate's metrics and, when a model is in staging, that model's metrics on the
 * same held-out data. Every gate is evaluated and reported (measured value, threshold, outcome); relative gates and
 * {@code requireImprovement} pass when nothing is in staging, and fail (value {@code null}) when a model is in staging
 * but could not be measured on the candidate's held-out records: Dataline never compares numbers measured on different
 * records.
 * <ul>
 * <li>{@code min} / {@code max}: the value is the candidate's metric.</li>
 * <li>{@code maxRegression} (and the default gate): the value is the regression, staging minus candidate for
 * higher-is-better metrics, candidate minus staging for {@code logLoss}; passes when it is at most the threshold.</li>
 * <li>{@code maxRelativeRegression}: the regression divided by |staging|; with a staging value of 0 the value is the
 * absolute regression and any regression fails.</li>
 * <li>{@code requireImprovement}: the value is the improvement; passes when it is greater than the margin.</li>
 * </ul>
 */
public final class GateEvaluator {

    private GateEvaluator() {
    }

    /** The verdict: promote or not, every gate, and a reason naming each failed gate. */
    public record Decision(boolean promote, List<GateResult> gates, String reason) {
    }

    public static Decision decide(PromotionPolicy policy, ModelMetrics candidate, ModelMetrics staging) {
        return decide(policy, candidate, staging, null);
    }

    /**
     * The verdict; {@code unmeasured} (with {@code staging} null) says why the model in staging has no metrics on the
     * candidate's records: then every gate that compares with it fails, and the reason says why.
     */
    public static Decision decide(PromotionPolicy policy, ModelMetrics candidate, ModelMetrics staging, String unmeasured) {
        List<GateResult> results = new ArrayList<>();
        for (PromotionPolicy.Gate gate : policy.gates()) {
            GateResult result = evaluate(gate, candidate, staging);
            results.add(unmeasured != null && result.value() == null ? unmeasurable(result) : result);
        }
        PromotionPolicy.Improvement improvement = policy.requireImprovement();
        if (improvement != null) {
            Double value = staging == null ? null
                    : improvement.metric().improvement(improvement.metric().of(candidate), improvement.metric().of(staging));
            GateResult result = new GateResult(improvement.metric().wireName(), PromotionPolicy.Rule.REQUIRE_IMPROVEMENT.wireName(),
                    improvement.margin(), value, value == null || value > improvement.margin());
            results.add(unmeasured != null && value == null ? unmeasurable(result) : result);
        }
        List<GateResult> failed = results.stream().filter(g -> !g.passed()).toList();
        String reason = failed.isEmpty() ? null : failed.stream()
                .map(g -> g.metric() + " " + g.rule() + ": measured " + round(g.value()) + ", threshold " + round(g.threshold()))
                .collect(Collectors.joining("; "));
        if (reason != null && unmeasured != null && results.stream().anyMatch(g -> !g.passed() && g.value() == null)) {
            reason = reason + " (" + unmeasured + ")";
        }
        return new Decision(failed.isEmpty(), List.copyOf(results), reason);
    }

    private static GateResult unmeasurable(GateResult gate) {
        return new GateResult(gate.metric(), gate.rule(), gate.threshold(), null, false);
    }

    private static GateResult evaluate(PromotionPolicy.Gate gate, ModelMetrics candidate, ModelMetrics staging) {
        Metric metric = gate.metric();
        double value = metric.of(candidate);
        String rule = gate.rule().wireName();
        return switch (gate.rule()) {
            case MIN -> new GateResult(metric.wireName(), rule, gate.threshold(), value, value >= gate.threshold());
            case MAX -> new GateResult(metric.wireName(), rule, gate.threshold(), value, value <= gate.threshold());
            case MAX_REGRESSION, DEFAULT -> {
                if (staging == null) {
                    yield new GateResult(metric.wireName(), rule, gate.threshold(), null, true);
                }
                double regression = -metric.improvement(value, metric.of(staging));
                yield new GateResult(metric.wireName(), rule, gate.threshold(), regression, regression <= gate.threshold());
            }
            case MAX_RELATIVE_REGRESSION -> {
                if (staging == null) {
                    yield new GateResult(metric.wireName(), rule, gate.threshold(), null, true);
                }
                double base = metric.of(staging);
                double regression = -metric.improvement(value, base);
                if (base == 0) { // no relative scale: any regression fails, and the value is the absolute one
                    yield new GateResult(metric.wireName(), rule, gate.threshold(), regression, regression <= 0);
                }
                double relative = regression / Math.abs(base);
                yield new GateResult(metric.wireName(), rule, gate.threshold(), relative, relative <= gate.threshold());
            }
            case REQUIRE_IMPROVEMENT -> throw new IllegalArgumentException("requireImprovement is not a gate");
        };
    }

    private static String round(Double value) {
        return value == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f", value);
    }
}
