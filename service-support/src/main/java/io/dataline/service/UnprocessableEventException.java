package io.dataline.service;

/** The event names something that does not exist (dataset, version): retrying cannot help, it goes to the DLQ. */
public class UnprocessableEventException extends RuntimeException {

    public UnprocessableEventException(String message) {
        super(message);
    }
}
