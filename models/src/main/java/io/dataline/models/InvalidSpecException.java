package io.dataline.models;

import java.util.List;

/** A training spec (or trainer parameters) that cannot be run; {@link #problems()} lists each as "pointer: message". */
public class InvalidSpecException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidSpecException(List<String> problems) {
        super("invalid training spec: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
