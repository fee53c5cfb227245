package io.dataline.service.auth;

/** dataset-service could not say whether a key is valid: the request is refused with 503, never let through. */
public class IntrospectionUnavailableException extends RuntimeException {

    public IntrospectionUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
