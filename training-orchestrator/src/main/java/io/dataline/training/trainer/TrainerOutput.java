package io.dataline.training.trainer;

import io.dataline.models.BuiltinModel;
import io.dataline.models.Metrics;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a back-end produced: the artifact file and its format, and either a model the orchestrator can load and
 * evaluate itself ({@code builtin}) or the metrics the trainer measured on the held-out split.
 */
public record TrainerOutput(Path artifact, String format, Optional<BuiltinModel> model, Optional<Metrics> reportedMetrics) {

    public static TrainerOutput builtin(Path artifact, BuiltinModel model) {
        return new TrainerOutput(artifact, BuiltinModel.FORMAT, Optional.of(model), Optional.empty());
    }

    public static TrainerOutput external(Path artifact, Metrics metrics) {
        return new TrainerOutput(artifact, "external", Optional.empty(), Optional.of(metrics));
    }
}
