package io.dataline.service;

/** dataset-service did not answer (down, 5xx, timeout): retried with back-off, then dead-lettered. */
public class DatasetServiceUnavailableException extends RuntimeException {

    public DatasetServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
