package io.dataline.deploy.service;

/** The two versions cannot both be measured on the same held-out records: the gates that compare them fail. */
public class NotComparableException extends RuntimeException {

    public NotComparableException(String message) {
        super(message);
    }

    public NotComparableException(String message, Throwable cause) {
        super(message, cause);
    }
}
