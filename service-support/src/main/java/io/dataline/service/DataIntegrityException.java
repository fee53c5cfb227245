package io.dataline.service;

/**
 * What was read of a version does not match the version (its records do not rebuild its data hash): the stored data
 * or the export is corrupt. Not a transient outage: retried a few times (a garbled transfer), then dead-lettered.
 */
public class DataIntegrityException extends RuntimeException {

    public DataIntegrityException(String message) {
        super(message);
    }

    public DataIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
