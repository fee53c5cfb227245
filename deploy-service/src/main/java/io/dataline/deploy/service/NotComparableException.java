package io.dataline.deploy.service;

/** The two versions cannot both be evaluated again (a model from another trainer): the gates use their registered metrics. */
public class NotComparableException extends RuntimeException {

    public NotComparableException(String message) {
        super(message);
    }

    public NotComparableException(String message, Throwable cause) {
        super(message, cause);
    }
}
