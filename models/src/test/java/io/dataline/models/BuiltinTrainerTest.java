package io.dataline.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in trainer on public tabular data (held to the range published for logistic regression on a 20 %
 * hold-out; see {@code src/test/resources/datasets/README.md}), on text, its determinism, its artifact round trip and
 * its parameter checks.
 */
class BuiltinTrainerTest {

    @Test
    void shouldScoreLikePublishedLogisticRegressionOnBreastCancerWisconsin() {
        List<JsonNode> records = Datasets.load("breast-cancer-wisconsin.ndjson");
        TrainingSpec spec = Datasets.numericSpec("diagnosis", records);
        Datasets.Split split = Datasets.split(records, spec, "id");
        assertThat(split.heldOut().size()).isBetween(90, 140); // about 20 % of 569

        Evaluation evaluation = Evaluation.of(BuiltinTrainer.train(spec, split.train()), split.heldOut(), "diagnosis");

        assertThat(evaluation.metrics().accuracy()).isGreaterThanOrEqualTo(0.94);
        assertThat(evaluation.metrics().macroF1()).isGreaterThanOrEqualTo(0.93);
        assertThat(evaluation.metrics().logLoss()).isLessThan(0.25);
    }

    @Test
    void shouldScoreLikePublishedLogisticRegressionOnWine() {
        List<JsonNode> records = Datasets.load("wine.ndjson");
        TrainingSpec spec = Datasets.numericSpec("cultivar", records);
        Datasets.Split split = Datasets.split(records, spec, "id");

        Metrics metrics = Evaluation.of(BuiltinTrainer.train(spec, split.train()), split.heldOut(), "cultivar").metrics();

        assertThat(metrics.accuracy()).isGreaterThanOrEqualTo(0.92);
        assertThat(metrics.perClass()).containsOnlyKeys("class_0", "class_1", "class_2");
        assertThat(metrics.perClass().values().stream().mapToLong(ClassMetrics::support).sum()).isEqualTo(split.heldOut().size());
    }

    @Test
    void shouldLearnSentimentFromTextAndCategories() {
        List<JsonNode> records = Datasets.feedback(600, 7);
        TrainingSpec spec = TrainingSpec.parse(Datasets.JSON.createObjectNode().put("labelField", "sentiment")
                .set("features", Datasets.JSON.valueToTree(List.of(
                        java.util.Map.of("field", "feedback", "type", "text"), java.util.Map.of("field", "category", "type", "categorical")))));
        Datasets.Split split = Datasets.split(records, spec, "id");

        Metrics metrics = Evaluation.of(BuiltinTrainer.train(spec, split.train()), split.heldOut(), "sentiment").metrics();

        // 5 % of labels are flipped, so about 0.95 is the ceiling.
        assertThat(metrics.accuracy()).isGreaterThan(0.85);
    }

    @Test
    void shouldTrainTheSameModelTwiceFromTheSameRecordsAndSpec() {
        List<JsonNode> records = Datasets.load("wine.ndjson");
        TrainingSpec spec = Datasets.numericSpec("cultivar", records);
        Datasets.Split split = Datasets.split(records, spec, "id");

        Metrics first = Evaluation.of(BuiltinTrainer.train(spec, split.train()), split.heldOut(), "cultivar").metrics();
        Metrics second = Evaluation.of(BuiltinTrainer.train(spec, split.train()), split.heldOut(), "cultivar").metrics();

        assertThat(second).isEqualTo(first);
        BuiltinModel one = BuiltinTrainer.train(spec, split.train());
        BuiltinModel two = BuiltinTrainer.train(spec, split.train());
        for (JsonNode record : split.heldOut()) {
            assertThat(two.predict(record)).isEqualTo(one.predict(record));
        }
    }

    @Test
    void shouldPredictTheSameAfterAnArtifactRoundTrip() {
        List<JsonNode> records = Datasets.feedback(300, 3);
        TrainingSpec spec = TrainingSpec.parse(Datasets.JSON.createObjectNode().put("labelField", "sentiment")
                .set("features", Datasets.JSON.valueToTree(List.of(java.util.Map.of("field", "feedback", "type", "text")))));
        BuiltinModel model = BuiltinTrainer.train(spec, records);

        BuiltinModel loaded = BuiltinModel.read(new ByteArrayInputStream(model.toBytes()));

        assertThat(loaded.labels()).containsExactly("negative", "positive");
        for (JsonNode record : records.subList(0, 50)) {
            assertThat(loaded.predict(record)).isEqualTo(model.predict(record));
        }
        ModelPrediction prediction = loaded.predict(records.get(0));
        assertThat(prediction.scores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldRefuseSomethingThatIsNotAModelArchive() {
        assertThatThrownBy(() -> BuiltinModel.read(new ByteArrayInputStream("not a zip".getBytes())))
                .isInstanceOf(InvalidArtifactException.class);
    }

    @Test
    void shouldRejectUnknownAndOutOfRangeParameters() {
        TrainingSpec spec = TrainingSpec.parse(Datasets.JSON.createObjectNode().put("labelField", "y")
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("features", Datasets.JSON.valueToTree(List.of(java.util.Map.of("field", "x", "type", "numeric"))))
                .set("params", Datasets.JSON.createObjectNode().put("epochs", 0).put("depth", 3)));

        assertThatThrownBy(() -> BuiltinTrainer.checkParams(spec))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "/training/params/depth: not a parameter of the builtin trainer (epochs, learningRate, minibatchSize, ngrams)",
                        "/training/params/epochs: must be an integer from 1 to 10000"));
    }

    @Test
    void shouldRefuseToTrainOnASingleLabel() {
        List<JsonNode> records = Datasets.feedback(20, 1).stream()
                .map(r -> (JsonNode) ((com.fasterxml.jackson.databind.node.ObjectNode) r.deepCopy()).put("sentiment", "positive")).toList();
        TrainingSpec spec = TrainingSpec.parse(Datasets.JSON.createObjectNode().put("labelField", "sentiment")
                .set("features", Datasets.JSON.valueToTree(List.of(java.util.Map.of("field", "feedback", "type", "text")))));

        assertThatThrownBy(() -> BuiltinTrainer.train(spec, records)).hasMessageContaining("single label (positive)");
    }
}
