package io.dataline.console.api;

/**
 * A service refused a call or could not be reached: {@code status} is its HTTP status (502 when it did not answer),
 * {@code detail} its problem+json {@code detail} (or title), shown to the person as it is.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String service;

    public ApiException(int status, String service, String detail) {
        super(detail);
        this.status = status;
        this.service = service;
    }

    public int status() {
        return status;
    }

    public String service() {
        return service;
    }
}
