package io.dataline.training.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.models.BuiltinModel;
import io.dataline.models.BuiltinTrainer;
import io.dataline.models.TrainingSpec;
import io.dataline.testsupport.SampleRecords;
import io.dataline.training.ModelVersion;
import io.dataline.training.artifact.ArtifactStore;
import io.dataline.training.config.TrainingConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staged model of each dataset is measured again by its next run: the models loaded for that stay in memory by
 * their estimated heap, not by a count, so twenty datasets training in turn read no artifact twice, and the budget
 * still evicts the least recently used and never holds a model larger than itself.
 */
class ModelEvaluatorTest {

    @TempDir
    Path store;

    private ModelEvaluator evaluator(long budget) {
        TrainingConfig config = new SmallRyeConfigBuilder().withMapping(TrainingConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter()) // "2s", as Quarkus reads it
                .withDefaultValues(Map.of("dataline.artifacts.dir", store.toString(), "dataline.runs.loaded-models-bytes", String.valueOf(budget)))
                .build().getConfigMapping(TrainingConfig.class);
        ModelEvaluator evaluator = new ModelEvaluator();
        evaluator.config = config;
        evaluator.artifacts = new ArtifactStore(config);
        return evaluator;
    }

    private static BuiltinModel train(long seed) {
        return train(seed, 80);
    }

    private static BuiltinModel train(long seed, int records) {
        var feedback = SampleRecords.feedback(records, seed).stream()
                .map(r -> (com.fasterxml.jackson.databind.JsonNode) io.dataline.events.EventJson.mapper().valueToTree(r)).toList();
        return BuiltinTrainer.train(TrainingSpec.parse(io.dataline.events.EventJson.mapper().valueToTree(Map.of("labelField", "sentiment",
                "features", List.of(Map.of("field", "feedback", "type", "text")), "trainer", "builtin"))), feedback);
    }

    /** A registered version whose artifact is at {@code path} in the store, written there when {@code model} is given. */
    private ModelVersion version(String path, BuiltinModel model) throws Exception {
        if (model != null) {
            Path file = store.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, model.toBytes());
        }
        ModelVersion version = new ModelVersion();
        version.model = path.substring(0, path.indexOf('/'));
        version.version = 1;
        version.artifactFormat = BuiltinModel.FORMAT;
        version.artifactPath = path;
        return version;
    }

    @Test
    void shouldKeepTheModelOfEveryDatasetTrainingInTurnWithoutReadingItsArtifact() throws Exception {
        ModelEvaluator evaluator = evaluator(64L << 20);
        BuiltinModel[] models = new BuiltinModel[20];
        for (int i = 0; i < models.length; i++) {
            models[i] = train(i);
            evaluator.remember("model-" + i + "/run/model.zip", models[i]);
        }

        // no artifact is in the store: a model that had been dropped could not be read and would fail the load
        for (int i = 0; i < models.length; i++) {
            assertThat(evaluator.load(version("model-" + i + "/run/model.zip", null))).containsSame(models[i]);
        }
        assertThat(evaluator.held()).hasSize(20);
    }

    @Test
    void shouldDropTheLeastRecentlyUsedModelBeyondTheBudget() throws Exception {
        BuiltinModel model = train(1);
        ModelEvaluator evaluator = evaluator(model.approximateHeapBytes() * 5 / 2); // two fit, not three
        ModelVersion a = version("a/run/model.zip", model);
        ModelVersion b = version("b/run/model.zip", model);
        ModelVersion c = version("c/run/model.zip", model);
        evaluator.remember(a.artifactPath, model);
        evaluator.remember(b.artifactPath, model);

        assertThat(evaluator.load(a)).containsSame(model); // a is now the most recently used
        evaluator.remember(c.artifactPath, model);

        assertThat(evaluator.held()).containsExactly(a.artifactPath, c.artifactPath);
        BuiltinModel readAgain = evaluator.load(b).orElseThrow();
        assertThat(readAgain).isNotSameAs(model);
        assertThat(readAgain.labels()).isEqualTo(model.labels());
        assertThat(evaluator.held()).containsExactly(c.artifactPath, b.artifactPath); // read, kept, and a went
    }

    @Test
    void shouldReadAModelLargerThanTheBudgetEachTimeWithoutDroppingTheOthers() throws Exception {
        BuiltinModel small = train(1);
        BuiltinModel large = train(2, 400); // more records, more terms
        ModelEvaluator evaluator = evaluator(small.approximateHeapBytes());
        ModelVersion kept = version("small/run/model.zip", small);
        ModelVersion huge = version("large/run/model.zip", large);
        assertThat(large.approximateHeapBytes()).isGreaterThan(small.approximateHeapBytes());
        evaluator.remember(kept.artifactPath, small);

        BuiltinModel first = evaluator.load(huge).orElseThrow();
        BuiltinModel second = evaluator.load(huge).orElseThrow();

        assertThat(second).isNotSameAs(first);
        assertThat(evaluator.held()).containsExactly(kept.artifactPath);
        assertThat(evaluator.load(kept)).containsSame(small);
    }
}
