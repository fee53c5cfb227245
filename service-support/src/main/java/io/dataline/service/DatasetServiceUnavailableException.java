package io.dataline.service;

/** dataset-service did not answer (down, 5xx, timeout, refused the key): a transient failure, retried until it answers. */
public class DatasetServiceUnavailableException extends RuntimeException {

    public DatasetServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
