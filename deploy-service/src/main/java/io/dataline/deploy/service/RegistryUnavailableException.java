package io.dataline.deploy.service;

/** training-orchestrator did not answer (down, 5xx, timeout): retried with back-off, then dead-lettered. */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message) {
        super(message);
    }

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
