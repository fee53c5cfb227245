package io.dataline.dataset.service;

import java.util.Locale;
import java.util.Optional;

/** API key scopes, each including the ones before it: read ⊂ write ⊂ admin. */
public enum Scope {
    READ, WRITE, ADMIN;

    public boolean includes(Scope other) {
        return ordinal() >= other.ordinal();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String text) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(text)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
