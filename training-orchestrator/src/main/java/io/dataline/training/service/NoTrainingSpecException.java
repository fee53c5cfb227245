package io.dataline.training.service;

/** A re-train was asked for a version whose pipeline has no training section. */
public class NoTrainingSpecException extends RuntimeException {

    public NoTrainingSpecException(String message) {
        super(message);
    }
}
