package io.dataline.training.trainer;

/** A run that ended without a model; the message is the reason published on {@code training.run-failed}. */
public class TrainingFailedException extends Exception {

    public TrainingFailedException(String reason) {
        super(reason);
    }

    public TrainingFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
