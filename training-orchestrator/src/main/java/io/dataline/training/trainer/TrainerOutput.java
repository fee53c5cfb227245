package io.dataline.training.trainer;

import io.dataline.models.BuiltinModel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a back-end produced: the artifact file and its format, and a model the orchestrator can load and evaluate in
 * this JVM ({@code builtin}), or none: then the back-end's predict entry point is run on the held-out records.
 */
public record TrainerOutput(Path artifact, String format, Optional<BuiltinModel> model) {

    public static final String EXTERNAL = "external";

    public static TrainerOutput builtin(Path artifact, BuiltinModel model) {
        return new TrainerOutput(artifact, BuiltinModel.FORMAT, Optional.of(model));
    }

    public static TrainerOutput external(Path artifact) {
        return new TrainerOutput(artifact, EXTERNAL, Optional.empty());
    }
}
