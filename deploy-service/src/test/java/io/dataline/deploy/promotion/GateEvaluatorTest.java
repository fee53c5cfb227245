package io.dataline.deploy.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.events.GateResult;
import io.dataline.events.ModelMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Covers promotion gates: absolute bounds, absolute and relative regressions against staging (logLoss lower is
 * better), requireImprovement, relative gates passing with nothing in staging, the default policy, a rejection
 * naming every failed gate with value and threshold, and the policy's own validation.
 */
class GateEvaluatorTest {

    private static final String POLICY = """
            {"gates": [{"metric": "accuracy", "min": 0.8}, {"metric": "macroF1", "maxRegression": 0.01},
                       {"metric": "accuracy", "maxRelativeRegression": 0.02}, {"metric": "logLoss", "max": 0.6}],
             "requireImprovement": {"metric": "macroF1", "margin": 0.0}}""";

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldPromoteACandidateThatPassesEveryGate() throws Exception {
        GateEvaluator.Decision decision = GateEvaluator.decide(policy(POLICY), new ModelMetrics(0.86, 0.82, 0.40),
                new ModelMetrics(0.85, 0.80, 0.45));

        assertThat(decision.promote()).isTrue();
        assertThat(decision.reason()).isNull();
        assertThat(decision.gates()).extracting(GateResult::rule)
                .containsExactly("min", "maxRegression", "maxRelativeRegression", "max", "requireImprovement");
        assertThat(decision.gates().get(1).value()).isCloseTo(-0.02, within(1e-12)); // an improvement is a negative regression
        assertThat(decision.gates().get(4).value()).isCloseTo(0.02, within(1e-12));
    }

    @Test
    void shouldRejectNamingEveryFailedGateWithItsValueAndThreshold() throws Exception {
        GateEvaluator.Decision decision = GateEvaluator.decide(policy(POLICY), new ModelMetrics(0.79, 0.75, 0.70),
                new ModelMetrics(0.85, 0.80, 0.45));

        assertThat(decision.promote()).isFalse();
        assertThat(decision.gates()).allSatisfy(g -> assertThat(g.passed()).isFalse());
        assertThat(decision.gates().get(1).value()).isCloseTo(0.05, within(1e-12));               // macroF1 0.80 -> 0.75
        assertThat(decision.gates().get(2).value()).isCloseTo(0.06 / 0.85, within(1e-12));        // accuracy relative
        assertThat(decision.reason()).contains("accuracy min: measured 0.7900, threshold 0.8000")
                .contains("macroF1 maxRegression: measured 0.0500, threshold 0.0100")
                .contains("logLoss max: measured 0.7000, threshold 0.6000")
                .contains("macroF1 requireImprovement: measured -0.0500, threshold 0.0000");
    }

    @Test
    void shouldTreatLogLossAsLowerIsBetter() throws Exception {
        PromotionPolicy policy = policy("{\"gates\": [{\"metric\": \"logLoss\", \"maxRegression\": 0.05}]}");

        assertThat(GateEvaluator.decide(policy, new ModelMetrics(0.8, 0.8, 0.52), new ModelMetrics(0.8, 0.8, 0.45)).promote()).isFalse();
        assertThat(GateEvaluator.decide(policy, new ModelMetrics(0.8, 0.8, 0.30), new ModelMetrics(0.8, 0.8, 0.45)).promote()).isTrue();
    }

    @Test
    void shouldPassRelativeGatesWhenNothingIsInStaging() throws Exception {
        GateEvaluator.Decision decision = GateEvaluator.decide(policy(POLICY), new ModelMetrics(0.81, 0.5, 0.5), null);

        assertThat(decision.promote()).isTrue();
        assertThat(decision.gates()).filteredOn(g -> !g.rule().equals("min") && !g.rule().equals("max"))
                .allSatisfy(g -> assertThat(g.value()).isNull());
    }

    @Test
    void shouldFailComparingGatesWhenTheStagedModelCouldNotBeMeasuredOnTheSameRecords() throws Exception {
        GateEvaluator.Decision decision = GateEvaluator.decide(policy(POLICY), new ModelMetrics(0.95, 0.95, 0.1), null,
                "staged v2 could not be measured on v3's held-out records: its template is gone");

        assertThat(decision.promote()).isFalse();
        assertThat(decision.gates()).filteredOn(g -> !g.rule().equals("min") && !g.rule().equals("max")).isNotEmpty()
                .allSatisfy(g -> assertThat(g.passed()).isFalse()).allSatisfy(g -> assertThat(g.value()).isNull());
        assertThat(decision.gates()).filteredOn(g -> g.rule().equals("min")).allSatisfy(g -> assertThat(g.passed()).isTrue());
        assertThat(decision.reason()).contains("measured n/a").endsWith("(staged v2 could not be measured on v3's held-out records: its template is gone)");
    }

    @Test
    void shouldApplyTheDefaultPolicyWithoutASpec() {
        PromotionPolicy policy = PromotionPolicy.parse(null, new ArrayList<>());

        assertThat(GateEvaluator.decide(policy, new ModelMetrics(0.5, 0.5, 1), null).promote()).isTrue();
        assertThat(GateEvaluator.decide(policy, new ModelMetrics(0.845, 0.8, 0.4), new ModelMetrics(0.85, 0.8, 0.4)).promote()).isTrue();
        GateEvaluator.Decision regressed = GateEvaluator.decide(policy, new ModelMetrics(0.83, 0.8, 0.4), new ModelMetrics(0.85, 0.8, 0.4));
        assertThat(regressed.promote()).isFalse();
        assertThat(regressed.gates()).singleElement().satisfies(g -> assertThat(g.rule()).isEqualTo("default"));
    }

    @Test
    void shouldFailAnyRegressionRelativeToAZeroBaseline() throws Exception {
        PromotionPolicy policy = policy("{\"gates\": [{\"metric\": \"logLoss\", \"maxRelativeRegression\": 0.5}]}");

        GateEvaluator.Decision decision = GateEvaluator.decide(policy, new ModelMetrics(0.8, 0.8, 0.1), new ModelMetrics(0.8, 0.8, 0.0));

        assertThat(decision.promote()).isFalse();
        assertThat(decision.gates().get(0).value()).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void shouldRejectMalformedPolicies() throws Exception {
        List<String[]> problems = new ArrayList<>();
        PromotionPolicy.parse(mapper.readTree("""
                {"gates": [{"metric": "auc", "min": 0.5}, {"metric": "accuracy"}, {"metric": "accuracy", "min": 0.5, "max": 0.9},
                           {"metric": "accuracy", "maxRegression": -1}, {"metric": "accuracy", "above": 1}],
                 "requireImprovement": {"metric": "macroF1", "margin": -0.1}, "stage": "prod"}"""), problems);

        assertThat(problems).extracting(p -> p[0]).containsExactlyInAnyOrder("/promotion/stage", "/promotion/gates/0/metric",
                "/promotion/gates/1", "/promotion/gates/2", "/promotion/gates/3/maxRegression", "/promotion/gates/4/above",
                "/promotion/gates/4", "/promotion/requireImprovement/margin");
    }

    private PromotionPolicy policy(String json) throws Exception {
        List<String[]> problems = new ArrayList<>();
        PromotionPolicy policy = PromotionPolicy.parse(mapper.readTree(json), problems);
        assertThat(problems).as("policy problems").isEmpty();
        return policy;
    }
}
