package io.dataline.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SGD solver's artifact: weights written and read by Dataline (byte-reproducible, same predictions after the round
 * trip), artifacts Dataline wrote before (under {@code src/test/resources/artifacts}: in Tribuo's protobuf, with the
 * scores they gave when written, and with weights in decimal text) still loading and scoring the same, and damaged
 * weights refused with the reason.
 */
class SgdClassifierTest {

    /** The records and spec each stored artifact was trained with (its README). */
    private static final Map<String, List<JsonNode>> TRAINED_ON = Map.of(
            "sgd-tribuo-feedback", Datasets.feedback(300, 17),
            "sgd-tribuo-wine", Datasets.load("wine.ndjson"));

    @ParameterizedTest
    @ValueSource(strings = {"sgd-tribuo-feedback", "sgd-tribuo-wine", "sgd-tribuo-before-liblinear"})
    void shouldLoadArtifactsWrittenInTribuosFormatAndScoreAsTheyDid(String artifact) throws IOException {
        BuiltinModel model = BuiltinModel.read(resource(artifact + ".zip"));

        assertThat(model.solver()).isEqualTo("sgd");
        assertScoresAsExpected(model, artifact);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd-tribuo-feedback", "sgd-tribuo-wine"})
    void shouldTrainTheModelTribuoTrainedAndWriteItsWeights(String artifact) throws IOException {
        BuiltinModel stored = BuiltinModel.read(resource(artifact + ".zip"));

        BuiltinModel retrained = BuiltinTrainer.train(stored.spec(), TRAINED_ON.get(artifact));
        Map<String, byte[]> entries = entries(retrained.toBytes());

        assertThat(entries).containsOnlyKeys("dataline-model.json", "model.sgd");
        assertThat(new String(entries.get("model.sgd"), StandardCharsets.ISO_8859_1)).startsWith("dataline-softmax-linear/2\n");
        assertScoresAsExpected(retrained, artifact);
        assertScoresAsExpected(BuiltinModel.read(new ByteArrayInputStream(retrained.toBytes())), artifact);
    }

    /**
     * {@code sgd-text-feedback.zip}: the model of {@code sgd-tribuo-feedback} as Dataline wrote it before its weights
     * became binary, in decimal text ({@code dataline-softmax-linear/1}); it loads to the very weights (the scores its
     * Tribuo original gave), and written again it is the artifact trained today, byte for byte.
     */
    @Test
    void shouldLoadArtifactsWithWeightsInDecimalTextAndWriteThemAsTodaysBytes() throws IOException {
        Map<String, byte[]> stored = entries(resource("sgd-text-feedback.zip").readAllBytes());
        assertThat(new String(stored.get("model.sgd"), StandardCharsets.UTF_8)).startsWith("dataline-softmax-linear/1\n");

        BuiltinModel text = BuiltinModel.read(resource("sgd-text-feedback.zip"));
        BuiltinModel trained = BuiltinTrainer.train(text.spec(), TRAINED_ON.get("sgd-tribuo-feedback"));

        assertScoresAsExpected(text, "sgd-tribuo-feedback");
        assertThat(entries(text.toBytes()).get("model.sgd")).isEqualTo(entries(trained.toBytes()).get("model.sgd"));
    }

    @Test
    void shouldWriteTheSameBytesFromTheSameRecordsAndPredictTheSameAfterReadingThem() {
        List<JsonNode> records = Datasets.feedback(300, 5);
        ObjectNode json = Datasets.JSON.createObjectNode().put("labelField", "sentiment");
        json.set("features", Datasets.JSON.valueToTree(List.of(Map.of("field", "feedback", "type", "text"), Map.of("field", "category", "type", "categorical"))));
        json.putObject("params").put("solver", "sgd").put("epochs", 3);
        TrainingSpec spec = TrainingSpec.parse(json);

        BuiltinModel one = BuiltinTrainer.train(spec, records);
        BuiltinModel loaded = BuiltinModel.read(new ByteArrayInputStream(one.toBytes()));

        assertThat(BuiltinTrainer.train(spec, records).toBytes()).isEqualTo(one.toBytes());
        assertThat(loaded.toBytes()).isEqualTo(one.toBytes());
        for (JsonNode record : records.subList(0, 50)) {
            assertThat(loaded.predict(record)).isEqualTo(one.predict(record));
        }
    }

    /**
     * Examples of every shape the featurizer can give and some it cannot: up to 40 labels (so that Tribuo's HashMap of
     * labels iterates in neither insertion nor sorted order), sparse and dense features, zeros, negative and large
     * values, names that sort differently than they hash.
     */
    @Test
    void shouldTrainTheSameWeightsAsTribuosTrainerBitForBit() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(29);
        for (int round = 0; round < 60; round++) {
            int labels = 2 + random.nextInt(round % 3 == 0 ? 39 : 4);
            int vocabulary = 1 + random.nextInt(round % 4 == 0 ? 400 : 30);
            int n = 1 + random.nextInt(150);
            List<SortedMap<String, Double>> examples = new ArrayList<>();
            List<String> truth = new ArrayList<>();
            for (int e = 0; e < n; e++) {
                SortedMap<String, Double> example = new TreeMap<>();
                int features = 1 + random.nextInt(Math.min(vocabulary, round % 5 == 0 ? vocabulary : 12));
                for (int f = 0; f < features; f++) {
                    double value = switch (random.nextInt(4)) {
                        case 0 -> 0.0;
                        case 1 -> 1.0;
                        case 2 -> random.nextGaussian() * 3;
                        default -> random.nextDouble() * 1e4;
                    };
                    example.put("f" + Integer.toString(random.nextInt(vocabulary), 36) + (random.nextBoolean() ? "" : " é"), value);
                }
                examples.add(example);
                truth.add(e < labels ? "label-" + (labels - e) : "label-" + (1 + random.nextInt(labels)));
            }
            int epochs = 1 + random.nextInt(5);
            double rate = random.nextBoolean() ? 0.1 : random.nextDouble() * 2;
            long seed = random.nextLong();

            assertSameWeights(SgdClassifier.trainExampleByExample(examples, truth, epochs, rate, seed),
                    SgdClassifier.trainByTribuo(examples, truth, epochs, rate, 1, seed), "round " + round);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd-tribuo-feedback", "sgd-tribuo-wine"})
    void shouldTrainTheSameWeightsAsTribuosTrainerOnTheFeaturizersExamples(String artifact) throws IOException {
        BuiltinModel stored = BuiltinModel.read(resource(artifact + ".zip"));
        TrainingSpec spec = stored.spec();
        List<JsonNode> records = TRAINED_ON.get(artifact);
        Featurizer featurizer = Featurizer.fit(spec.features(), records, 2, Featurizer.TFIDF, 100_000);
        List<SortedMap<String, Double>> examples = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        for (JsonNode record : records) {
            String label = Labels.of(record, spec.labelField());
            if (label != null) {
                examples.add(featurizer.apply(record));
                truth.add(label);
            }
        }

        for (int epochs : new int[] {1, 2, 20}) {
            assertSameWeights(SgdClassifier.trainExampleByExample(examples, truth, epochs, 0.1, spec.seed()),
                    SgdClassifier.trainByTribuo(examples, truth, epochs, 0.1, 1, spec.seed()), artifact + ", " + epochs + " epochs");
        }
    }

    private static void assertSameWeights(SgdClassifier ours, SgdClassifier tribuos, String what) throws IOException {
        ByteArrayOutputStream oursWritten = new ByteArrayOutputStream();
        ours.write(oursWritten);
        ByteArrayOutputStream tribuosWritten = new ByteArrayOutputStream();
        tribuos.write(tribuosWritten);
        assertThat(ours.toJson()).as(what).isEqualTo(tribuos.toJson());
        assertThat(oursWritten.toString(StandardCharsets.UTF_8)).as(what).isEqualTo(tribuosWritten.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadEveryWeightBackToTheDoubleItWasWrittenFrom() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        for (int i = 0; i < 300_000; i++) {
            // weights of every magnitude, and arbitrary bit patterns (subnormals, extremes) among them
            double weight = i % 4 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextGaussian() * Math.pow(10, random.nextInt(-12, 12));
            if (!Double.isFinite(weight)) {
                continue;
            }
            String written = Double.toString(weight);
            assertThat(SgdClassifier.parse(written)).as(written).isEqualTo(Double.parseDouble(written)).isEqualTo(weight);
        }
        assertThatThrownBy(() -> SgdClassifier.parse("0.1.2")).hasMessageContaining("not a number");
    }

    static List<org.junit.jupiter.params.provider.Arguments> damages() {
        return List.of(
                damage("a format it does not know", "not in the format", w -> w.replace("dataline-softmax-linear/1", "dataline-softmax-linear/9")),
                damage("a label without weights", "weights for 1 of 2 labels", w -> w.substring(0, w.indexOf('\n', w.indexOf('\n') + 1) + 1)),
                damage("a row too many", "more weight rows", w -> w + "1 2 3\n"),
                damage("a weight missing", "weights, not", w -> w.replaceFirst(" [^ \n]+\n", "\n")),
                damage("a weight that is not a number", "not a number: abc", w -> w.replaceFirst(" [^ \n]+\n", " abc\n")),
                damage("an infinite weight", "not a finite number: Infinity", w -> w.replaceFirst(" [^ \n]+\n", " Infinity\n")),
                damage("a NaN weight", "not a finite number: NaN", w -> w.replaceFirst(" [^ \n]+\n", " NaN\n")));
    }

    private static org.junit.jupiter.params.provider.Arguments damage(String name, String reason, UnaryOperator<String> weights) {
        return org.junit.jupiter.params.provider.Arguments.of(name, reason, weights);
    }

    /** Damaged weights in decimal text (the stored artifact's), refused with the reason. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void shouldRefuseDamagedWeightsWithTheReason(String name, String reason, UnaryOperator<String> weights) throws IOException {
        Map<String, byte[]> entries = entries(resource("sgd-text-feedback.zip").readAllBytes());
        entries.put("model.sgd", weights.apply(new String(entries.get("model.sgd"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> BuiltinModel.read(new ByteArrayInputStream(zip(entries))))
                .isInstanceOf(InvalidArtifactException.class).hasMessageContaining("damaged").hasMessageContaining(reason);
    }

    static List<org.junit.jupiter.params.provider.Arguments> binaryDamages() {
        int first = "dataline-softmax-linear/2\n".length();
        return List.of(
                binaryDamage("a format it does not know", "not in the format", w -> {
                    w[first - 2] = '9';
                    return w;
                }),
                binaryDamage("no first line", "not in the format", w -> java.util.Arrays.copyOfRange(w, first, w.length)),
                binaryDamage("a weight missing", "bytes of weights, not the", w -> java.util.Arrays.copyOf(w, w.length - 8)),
                binaryDamage("a byte too many", "bytes of weights, not the", w -> java.util.Arrays.copyOf(w, w.length + 1)),
                binaryDamage("an infinite weight", "not a finite number: Infinity", w -> put(w, first + 8, Double.POSITIVE_INFINITY)),
                binaryDamage("a NaN weight", "not a finite number: NaN", w -> put(w, w.length - 8, Double.NaN)));
    }

    private static byte[] put(byte[] weights, int at, double value) {
        java.nio.ByteBuffer.wrap(weights).putDouble(at, value);
        return weights;
    }

    private static org.junit.jupiter.params.provider.Arguments binaryDamage(String name, String reason, UnaryOperator<byte[]> weights) {
        return org.junit.jupiter.params.provider.Arguments.of(name, reason, weights);
    }

    /** Damaged weights as written today, refused with the reason. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryDamages")
    void shouldRefuseDamagedBinaryWeightsWithTheReason(String name, String reason, UnaryOperator<byte[]> weights) throws IOException {
        Map<String, byte[]> entries = entries(sgdModel().toBytes());
        entries.put("model.sgd", weights.apply(entries.get("model.sgd")));

        assertThatThrownBy(() -> BuiltinModel.read(new ByteArrayInputStream(zip(entries))))
                .isInstanceOf(InvalidArtifactException.class).hasMessageContaining("damaged").hasMessageContaining(reason);
    }

    @Test
    void shouldRefuseAHeaderWhoseNamesDoNotMatchTheWeights() throws IOException {
        Map<String, byte[]> entries = entries(sgdModel().toBytes());
        ObjectNode header = (ObjectNode) Datasets.JSON.readTree(entries.get("dataline-model.json"));
        ObjectNode twice = header.deepCopy();
        ArrayNode labels = (ArrayNode) twice.path("sgd").path("labels");
        labels.set(1, labels.get(0));
        ObjectNode noFeatureNames = header.deepCopy();
        ((ObjectNode) noFeatureNames.get("sgd")).remove("features");
        Map<String, byte[]> labelTwice = new LinkedHashMap<>(entries);
        labelTwice.put("dataline-model.json", Datasets.JSON.writeValueAsBytes(twice));
        Map<String, byte[]> noFeatures = new LinkedHashMap<>(entries);
        noFeatures.put("dataline-model.json", Datasets.JSON.writeValueAsBytes(noFeatureNames));
        Map<String, byte[]> noWeights = entries(sgdModel().toBytes());
        noWeights.remove("model.sgd");

        assertThatThrownBy(() -> BuiltinModel.read(new ByteArrayInputStream(zip(labelTwice)))).hasMessageContaining("more than once");
        assertThatThrownBy(() -> BuiltinModel.read(new ByteArrayInputStream(zip(noFeatures)))).hasMessageContaining("sgd.features is not an array");
        assertThatThrownBy(() -> BuiltinModel.read(new ByteArrayInputStream(zip(noWeights)))).hasMessageContaining("model.tribuo is missing");
    }

    private static BuiltinModel sgdModel() {
        ObjectNode json = Datasets.JSON.createObjectNode().put("labelField", "sentiment");
        json.set("features", Datasets.JSON.valueToTree(List.of(Map.of("field", "feedback", "type", "text"))));
        json.putObject("params").put("solver", "sgd").put("epochs", 2);
        return BuiltinTrainer.train(TrainingSpec.parse(json), Datasets.feedback(100, 2));
    }

    private static void assertScoresAsExpected(BuiltinModel model, String artifact) throws IOException {
        JsonNode expected;
        try (InputStream in = resource(artifact + ".expected.json")) {
            expected = Datasets.JSON.readTree(in);
        }
        assertThat(expected).hasSizeGreaterThan(10);
        for (JsonNode example : expected) {
            ModelPrediction prediction = model.predict(example.get("record"));
            assertThat(prediction.label()).isEqualTo(example.get("label").asText());
            assertThat(prediction.scores()).hasSize(example.get("scores").size());
            example.get("scores").fields().forEachRemaining(score ->
                    assertThat(prediction.scores().get(score.getKey())).as(score.getKey()).isCloseTo(score.getValue().asDouble(), within(1e-12)));
        }
    }

    private static InputStream resource(String name) {
        return SgdClassifierTest.class.getResourceAsStream("/artifacts/" + name);
    }

    private static Map<String, byte[]> entries(byte[] zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
            }
        }
        return bytes.toByteArray();
    }
}
