package io.dataline.training.trainer;

import io.dataline.models.TrainingSpec;
import java.nio.file.Path;

/**
 * A training back-end. Implementations are CDI beans found by {@link #name()} (the spec's {@code trainer}); adding one
 * touches no other code. A back-end trains ({@link #train}) and, unless the orchestrator can load its models itself,
 * runs a trained model's predict entry point on records it is given ({@link #predict}): Dataline computes every metric
 * from those predictions, so a trainer never grades its own model and never sees the held-out labels.
 */
public interface Trainer {

    /** The value of {@code pipeline.training.trainer} that selects this back-end. */
    String name();

    /**
     * Checks, before a run is queued, that the spec can run here (template configured, parameters valid); throws
     * {@link io.dataline.models.InvalidSpecException} naming each problem.
     */
    void check(TrainingSpec spec);

    /** Trains on the job's training split; throws {@link TrainingFailedException} with a reason a person can act on. */
    TrainerOutput train(TrainingJob job) throws TrainingFailedException, InterruptedException;

    /**
     * Runs the model's predict entry point on the job's input and returns the file of its answers, one line per input
     * record ({@link Predictions} reads it). Back-ends whose models the orchestrator loads itself don't need it.
     */
    default Path predict(PredictJob job) throws TrainingFailedException, InterruptedException {
        throw new TrainingFailedException("the " + name() + " trainer has no predict entry point");
    }
}
