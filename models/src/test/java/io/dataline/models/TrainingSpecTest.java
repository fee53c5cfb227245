package io.dataline.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Parsing of {@code pipeline.training}: defaults, the round trip to JSON, and every problem reported at once. */
class TrainingSpecTest {

    private static JsonNode json(String text) throws Exception {
        return Datasets.JSON.readTree(text);
    }

    @Test
    void shouldFillDefaultsAndWriteTheSameShapeBack() throws Exception {
        TrainingSpec spec = TrainingSpec.parse(json("""
                {"labelField": "sentiment", "features": [{"field": "feedback", "type": "text"}, {"field": "category", "type": "categorical"}]}"""));

        assertThat(spec.trainer()).isEqualTo("builtin");
        assertThat(spec.holdoutFraction()).isEqualTo(0.2);
        assertThat(spec.seed()).isEqualTo(42);
        assertThat(TrainingSpec.parse(spec.toJson())).isEqualTo(spec);
    }

    @Test
    void shouldBeAbsentWhenThePipelineHasNoTrainingSection() throws Exception {
        assertThat(TrainingSpec.fromPipeline(json("{\"validation\": {}}"))).isEmpty();
        assertThat(TrainingSpec.fromPipeline(json("{\"training\": null}"))).isEmpty();
    }

    @Test
    void shouldReportEveryProblem() throws Exception {
        assertThatThrownBy(() -> TrainingSpec.parse(json("""
                {"labelField": "y", "features": [{"field": "y", "type": "text"}, {"field": "x", "type": "image"}, {"field": "x", "type": "numeric"}],
                 "holdoutFraction": 1.0, "seed": "abc", "params": [], "colour": "red"}""")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "/training/colour: unknown property (features, holdoutFraction, labelField, params, seed, template, trainer)",
                        "/training/features/0/field: the label field cannot be a feature",
                        "/training/features/1/type: must be one of text, numeric, categorical",
                        "/training/features/2/field: \"x\" is listed twice",
                        "/training/params: must be an object",
                        "/training/holdoutFraction: must be a number between 0 and 1 (exclusive)",
                        "/training/seed: must be an integer"));
    }
}
