package io.dataline.models;

/** A model artifact that cannot be loaded: not a Dataline built-in model, or damaged. */
public class InvalidArtifactException extends RuntimeException {

    public InvalidArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
