package io.dataline.deploy.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.events.WireNamed;
import io.dataline.service.SpecSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A dataset's promotion policy ({@code pipeline.promotion}): gates on the candidate's metrics, absolute
 * ({@code min}, {@code max}) or relative to the model in staging on the same held-out data ({@code maxRegression}
 * in the metric's units, {@code maxRelativeRegression} as a fraction of the staging value), and optionally
 * {@code requireImprovement}. Without a policy: promote when nothing is in staging, or when accuracy does not regress
 * by more than 0.01.
 */
public record PromotionPolicy(List<Gate> gates, Improvement requireImprovement) {

    /** The rule of a gate, as it appears in events. */
    public enum Rule implements WireNamed {
        MIN, MAX, MAX_REGRESSION, MAX_RELATIVE_REGRESSION, REQUIRE_IMPROVEMENT, DEFAULT; // on the wire: min, …, maxRelativeRegression

        public boolean relative() {
            return this != MIN && this != MAX;
        }
    }

    /** One gate: a metric, a rule and its threshold. */
    public record Gate(Metric metric, Rule rule, double threshold) {
    }

    /** The candidate must beat staging on {@code metric} by more than {@code margin}. */
    public record Improvement(Metric metric, double margin) {
    }

    public static final PromotionPolicy DEFAULT = new PromotionPolicy(List.of(new Gate(Metric.ACCURACY, Rule.DEFAULT, 0.01)), null);

    private static final Set<String> GATE_RULES = Set.of("min", "max", "maxRegression", "maxRelativeRegression");

    /** The policy in {@code promotion} (null or absent: the default), or the problems as (pointer, message) pairs. */
    public static PromotionPolicy parse(JsonNode promotion, List<String[]> problems) {
        if (!SpecSection.isObject(promotion, "/promotion", problems)) {
            return DEFAULT;
        }
        promotion.fieldNames().forEachRemaining(name -> {
            if (!name.equals("gates") && !name.equals("requireImprovement")) {
                problems.add(new String[] {"/promotion/" + name, "unknown setting (gates, requireImprovement)"});
            }
        });
        List<Gate> gates = new ArrayList<>();
        JsonNode gatesNode = promotion.path("gates");
        if (!gatesNode.isMissingNode() && !gatesNode.isArray()) {
            problems.add(new String[] {"/promotion/gates", "must be an array"});
        }
        for (int i = 0; i < gatesNode.size(); i++) {
            JsonNode gate = gatesNode.get(i);
            String at = "/promotion/gates/" + i;
            Metric metric = metric(gate.path("metric"), at + "/metric", problems);
            List<String> rules = new ArrayList<>();
            gate.fieldNames().forEachRemaining(name -> {
                if (GATE_RULES.contains(name)) {
                    rules.add(name);
                } else if (!name.equals("metric")) {
                    problems.add(new String[] {at + "/" + name, "unknown rule (min, max, maxRegression, maxRelativeRegression)"});
                }
            });
            if (rules.size() != 1) {
                problems.add(new String[] {at, "name exactly one rule: min, max, maxRegression or maxRelativeRegression"});
                continue;
            }
            String rule = rules.get(0);
            JsonNode threshold = gate.get(rule);
            if (!threshold.isNumber() || !Double.isFinite(threshold.asDouble())
                    || (rule.startsWith("maxR") && threshold.asDouble() < 0)) {
                problems.add(new String[] {at + "/" + rule, rule.startsWith("maxR") ? "must be a non-negative number" : "must be a number"});
                continue;
            }
            if (metric != null) {
                Rule parsed = switch (rule) {
                    case "min" -> Rule.MIN;
                    case "max" -> Rule.MAX;
                    case "maxRegression" -> Rule.MAX_REGRESSION;
                    default -> Rule.MAX_RELATIVE_REGRESSION;
                };
                gates.add(new Gate(metric, parsed, threshold.asDouble()));
            }
        }
        Improvement improvement = null;
        JsonNode improvementNode = promotion.path("requireImprovement");
        if (!improvementNode.isMissingNode() && !improvementNode.isNull()) {
            Metric metric = metric(improvementNode.path("metric"), "/promotion/requireImprovement/metric", problems);
            JsonNode margin = improvementNode.path("margin");
            double value = 0;
            if (!margin.isMissingNode()) {
                if (!margin.isNumber() || margin.asDouble() < 0) {
                    problems.add(new String[] {"/promotion/requireImprovement/margin", "must be a non-negative number"});
                } else {
                    value = margin.asDouble();
                }
            }
            if (metric != null) {
                improvement = new Improvement(metric, value);
            }
        }
        return new PromotionPolicy(List.copyOf(gates), improvement);
    }

    private static Metric metric(JsonNode node, String at, List<String[]> problems) {
        Metric metric = Metric.parse(node.asText("")).orElse(null);
        if (metric == null) {
            problems.add(new String[] {at, "must be accuracy, macroF1 or logLoss"});
        }
        return metric;
    }
}
