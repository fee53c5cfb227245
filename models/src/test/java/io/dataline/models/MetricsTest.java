package io.dataline.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics against values worked out by hand, their JSON keys, and the checks on metrics read from a trainer. */
class MetricsTest {

    private static ModelPrediction p(String label, double pa) {
        return new ModelPrediction(label, Map.of("a", pa, "b", 1 - pa));
    }

    @Test
    void shouldComputeEveryMetricAsWorkedOutByHand() {
        // truth a a a b ; predicted a a b b
        Metrics m = Metrics.compute(List.of("a", "a", "a", "b"), List.of(p("a", 0.9), p("a", 0.6), p("b", 0.4), p("b", 0.2)));

        assertThat(m.accuracy()).isEqualTo(0.75);
        // a: precision 2/2, recall 2/3, f1 0.8 ; b: precision 1/2, recall 1, f1 2/3
        assertThat(m.perClass().get("a")).isEqualTo(new ClassMetrics(1.0, 2 / 3.0, 0.8, 3));
        assertThat(m.perClass().get("b").f1()).isCloseTo(2 / 3.0, offset(1e-12));
        assertThat(m.macroF1()).isCloseTo((0.8 + 2 / 3.0) / 2, offset(1e-12));
        assertThat(m.logLoss()).isCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.4) + Math.log(0.8)) / 4, offset(1e-12));
        assertThat(m.matrix()).isDeepEqualTo(new long[][] {{2, 1}, {0, 1}});
    }

    @Test
    void shouldWriteTheExactKeysAndReadThemBack() {
        Metrics m = Metrics.compute(List.of("a", "b"), List.of(p("a", 0.7), p("a", 0.6)));

        var json = m.toJson();

        assertThat(json.fieldNames()).toIterable().containsExactly("accuracy", "macroF1", "logLoss", "perClass", "confusionMatrix");
        assertThat(json.at("/perClass/a").fieldNames()).toIterable().containsExactly("precision", "recall", "f1", "support");
        assertThat(json.at("/confusionMatrix/labels").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(Metrics.fromJson(json)).isEqualTo(m);
    }

    @Test
    void shouldClipAZeroProbabilityInTheLogLoss() {
        Metrics m = Metrics.compute(List.of("a"), List.of(p("b", 0.0)));

        assertThat(m.logLoss()).isCloseTo(-Math.log(Metrics.EPSILON), offset(1e-9));
    }

    @Test
    void shouldNameEveryProblemOfMalformedMetrics() {
        var json = Datasets.JSON.createObjectNode().put("accuracy", 1.5).put("logLoss", -1);
        json.putObject("perClass").putObject("x").put("precision", 0.5);

        assertThatThrownBy(() -> Metrics.fromJson(json)).isInstanceOf(InvalidMetricsException.class)
                .hasMessageContaining("accuracy: must be a number between 0 and 1")
                .hasMessageContaining("macroF1: must be a number between 0 and 1")
                .hasMessageContaining("logLoss: must be a finite number >= 0")
                .hasMessageContaining("perClass.x.recall")
                .hasMessageContaining("confusionMatrix: must be");
    }
}
