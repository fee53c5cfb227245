package io.dataline.dataset.service;

import io.dataline.events.WireNamed;
import java.util.Locale;
import java.util.Optional;

/** API key scopes, each including the ones before it: read ⊂ write ⊂ admin. */
public enum Scope implements WireNamed {
    READ, WRITE, ADMIN;

    public boolean includes(Scope other) {
        return ordinal() >= other.ordinal();
    }

    @Override
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String text) {
        return WireNamed.parse(Scope.class, text);
    }
}
