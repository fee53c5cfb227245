package io.dataline.console.api;

/**
 * A service refused a call or could not be reached; the message is its problem+json {@code detail} (or title), shown
 * to the person as it is.
 */
public class ApiException extends RuntimeException {

    /** The HTTP status the service answered (502: it did not answer). */
    public final int status;
    /** Which service said so, by the name people know it by (e.g. {@code deploy-service}). */
    public final String service;

    public ApiException(int status, String service, String detail) {
        super(detail);
        this.status = status;
        this.service = service;
    }
}
