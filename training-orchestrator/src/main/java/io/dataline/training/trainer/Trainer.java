package io.dataline.training.trainer;

import io.dataline.models.TrainingSpec;

/**
 * A training back-end. Implementations are CDI beans found by {@link #name()} (the spec's {@code trainer}); adding one
 * touches no other code.
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
}
