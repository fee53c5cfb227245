package io.dataline.local;

/** A launcher failure with a message meant for the person at the terminal. */
class LauncherException extends RuntimeException {

    LauncherException(String message) {
        super(message);
    }
}
