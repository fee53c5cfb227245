package io.dataline.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in trainer on public data (held within 2 points of scikit-learn's LogisticRegression on the same split, as
 * recorded in {@code src/test/resources/datasets/reference.json}; {@code ./dataline bench accuracy} measures both
 * again), on text, class weights for imbalanced labels, its determinism down to the artifact's bytes, its artifact round
 * trip and its parameter checks ({@link SgdClassifierTest} for the SGD solver's artifacts).
 */
class BuiltinTrainerTest {

    static java.util.stream.Stream<JsonNode> benchmarks() throws java.io.IOException {
        try (var in = BuiltinTrainerTest.class.getResourceAsStream("/datasets/reference.json")) {
            JsonNode reference = Datasets.JSON.readTree(in);
            return java.util.stream.StreamSupport.stream(reference.path("datasets").spliterator(), false).toList().stream();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("benchmarks")
    void shouldComeWithinTwoPointsOfScikitLearnsLogisticRegression(JsonNode benchmark) {
        TrainingSpec spec = TrainingSpec.parse(benchmark.path("spec"));
        Datasets.Split split = Datasets.split(Datasets.load(benchmark.path("file").asText()), spec, benchmark.path("key").asText());

        Metrics metrics = Evaluation.of(BuiltinTrainer.train(spec, split.train()), split.heldOut(), spec.labelField()).metrics();

        assertThat(metrics.accuracy()).as(benchmark.path("name").asText()).isGreaterThanOrEqualTo(benchmark.path("reference").asDouble() - 0.02);
        assertThat(metrics.perClass().values().stream().mapToLong(ClassMetrics::support).sum()).isEqualTo(split.heldOut().size());
    }

    @Test
    void shouldWeighRareLabelsUpWithBalancedClassWeights() {
        // breast cancer with only every fifth malignant record: a rare label the plain model under-predicts
        List<JsonNode> records = Datasets.load("breast-cancer-wisconsin.ndjson");
        List<JsonNode> imbalanced = new java.util.ArrayList<>();
        int[] malignant = {0};
        records.forEach(r -> {
            if (!r.path("diagnosis").asText().equals("malignant") || malignant[0]++ % 5 == 0) {
                imbalanced.add(r);
            }
        });
        TrainingSpec plain = Datasets.numericSpec("diagnosis", imbalanced);
        com.fasterxml.jackson.databind.node.ObjectNode weighted = plain.toJson().deepCopy();
        weighted.putObject("params").put("classWeights", "balanced").put("c", 0.05);
        com.fasterxml.jackson.databind.node.ObjectNode unweighted = plain.toJson().deepCopy();
        unweighted.putObject("params").put("c", 0.05);
        Datasets.Split split = Datasets.split(imbalanced, plain, "id");

        Metrics without = Evaluation.of(BuiltinTrainer.train(TrainingSpec.parse(unweighted), split.train()), split.heldOut(), "diagnosis").metrics();
        Metrics with = Evaluation.of(BuiltinTrainer.train(TrainingSpec.parse(weighted), split.train()), split.heldOut(), "diagnosis").metrics();

        assertThat(with.perClass().get("malignant").recall()).isGreaterThan(without.perClass().get("malignant").recall());
        assertThat(balancedAccuracy(with)).isGreaterThan(balancedAccuracy(without));
    }

    /** The mean of the per-label recalls: what class weights trade precision on common labels for. */
    private static double balancedAccuracy(Metrics metrics) {
        return metrics.perClass().values().stream().mapToDouble(ClassMetrics::recall).average().orElseThrow();
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
    void shouldTrainByteIdenticalArtifactsFromTheSameRecordsAndSpec() {
        List<JsonNode> records = Datasets.load("wine.ndjson");
        TrainingSpec spec = Datasets.numericSpec("cultivar", records);
        Datasets.Split split = Datasets.split(records, spec, "id");
        List<JsonNode> text = Datasets.feedback(300, 5);
        TrainingSpec textSpec = TrainingSpec.parse(Datasets.JSON.createObjectNode().put("labelField", "sentiment")
                .set("features", Datasets.JSON.valueToTree(List.of(java.util.Map.of("field", "feedback", "type", "text")))));

        BuiltinModel one = BuiltinTrainer.train(spec, split.train());
        BuiltinModel two = BuiltinTrainer.train(spec, split.train());

        assertThat(one.solver()).isEqualTo("liblinear");
        assertThat(two.toBytes()).isEqualTo(one.toBytes());
        assertThat(BuiltinTrainer.train(textSpec, text).toBytes()).isEqualTo(BuiltinTrainer.train(textSpec, text).toBytes());
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
    void shouldDeflateTheArtifactsEntriesAtTheFastestLevel() throws java.io.IOException {
        BuiltinModel model = BuiltinTrainer.train(TrainingSpec.parse(Datasets.JSON.createObjectNode().put("labelField", "sentiment")
                .set("features", Datasets.JSON.valueToTree(List.of(java.util.Map.of("field", "feedback", "type", "text"))))), Datasets.feedback(300, 3));
        int entries = 0;
        try (var zip = new java.util.zip.ZipInputStream(new ByteArrayInputStream(model.toBytes()))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry(), entries++) {
                byte[] content = zip.readAllBytes();
                zip.closeEntry(); // the local header's sizes follow the data: known once the entry is read
                assertThat(entry.getMethod()).as(entry.getName()).isEqualTo(java.util.zip.ZipEntry.DEFLATED);
                // the same bytes deflated at the fastest level come to exactly this entry's compressed size
                java.util.zip.Deflater fastest = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED, true);
                fastest.setInput(content);
                fastest.finish();
                byte[] buffer = new byte[content.length + 1024];
                int compressed = 0;
                while (!fastest.finished()) {
                    compressed += fastest.deflate(buffer);
                }
                fastest.end();
                assertThat(entry.getCompressedSize()).as(entry.getName()).isEqualTo(compressed).isLessThan(content.length);
            }
        }
        assertThat(entries).isEqualTo(2);
    }

    @Test
    void shouldEstimateItsHeapFromItsWeightsAndVocabulary() {
        List<JsonNode> records = Datasets.feedback(300, 3);
        var features = Datasets.JSON.valueToTree(List.of(java.util.Map.of("field", "feedback", "type", "text")));
        BuiltinModel words = BuiltinTrainer.train(TrainingSpec.parse(Datasets.JSON.createObjectNode().put("labelField", "sentiment")
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("features", features).set("params", Datasets.JSON.createObjectNode().put("ngrams", 1))),
                records);
        BuiltinModel pairs = BuiltinTrainer.train(TrainingSpec.parse(Datasets.JSON.createObjectNode().put("labelField", "sentiment")
                .set("features", features)), records);

        // word pairs add terms: features with a weight per label, and entries in the vocabulary
        assertThat(words.approximateHeapBytes()).isGreaterThan(0);
        assertThat(pairs.approximateHeapBytes()).isGreaterThan(words.approximateHeapBytes());
        assertThat(BuiltinModel.read(new ByteArrayInputStream(pairs.toBytes())).approximateHeapBytes()).isEqualTo(pairs.approximateHeapBytes());
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
                .set("params", Datasets.JSON.createObjectNode().put("epochs", 5).put("depth", 3).put("c", 0).put("classWeights", "auto")));
        TrainingSpec sgd = TrainingSpec.parse(spec.toJson().<com.fasterxml.jackson.databind.node.ObjectNode>deepCopy()
                .set("params", Datasets.JSON.createObjectNode().put("solver", "sgd").put("epochs", 0).put("c", 2)));

        assertThatThrownBy(() -> BuiltinTrainer.checkParams(spec))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "/training/params/depth: not a parameter of the builtin trainer (c, classWeights, epochs, learningRate, maxVocabulary, "
                                + "minibatchSize, ngrams, solver, text)",
                        "/training/params/epochs: applies to solver sgd only",
                        "/training/params/c: must be a number in (0, 1000000]",
                        "/training/params/classWeights: must be one of none, balanced"));
        assertThatThrownBy(() -> BuiltinTrainer.checkParams(sgd))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "/training/params/c: applies to solver liblinear only",
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
