package io.dataline.console.api;

/**
 * A service refused a call or could not be reached: {@code status} is its HTTP status (502 when it did not answer),
 * the message its problem+json {@code detail} (or title), shown to the person as it is, {@code service} which
 * service said so.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String service;

    public ApiException(int status, String service, String detail) {
        super(detail);
        this.status = status;
        this.service = service;
    }

    /** The HTTP status the service answered (502: it did not answer). */
    public int status() {
        return status;
    }

    /** The service, by the name people know it by (e.g. {@code deploy-service}). */
    public String service() {
        return service;
    }
}
