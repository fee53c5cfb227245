package io.dataline.deploy.service;

/** An artifact beyond the configured size limit: the promotion is refused. */
public class ArtifactTooLargeException extends RuntimeException {

    public ArtifactTooLargeException(String message) {
        super(message);
    }

    public ArtifactTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
