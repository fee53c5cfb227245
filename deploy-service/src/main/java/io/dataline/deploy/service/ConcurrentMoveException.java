package io.dataline.deploy.service;

/** The alias moved between reading and writing it (two operators at once); the caller may retry. */
public class ConcurrentMoveException extends RuntimeException {

    public ConcurrentMoveException(String message) {
        super(message);
    }
}
