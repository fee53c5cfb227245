package io.dataline.service.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.service.auth.Principal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Covers {@link CallerName}: a request no key was checked for may use nothing (fail closed). */
class CallerNameTest {

    @Test
    void shouldGrantNothingWhenNoKeyWasChecked() {
        CallerName caller = new CallerName();

        assertThat(caller.mayUse("reviews")).isFalse();
        assertThat(caller.get()).isEqualTo("unknown");
    }

    @Test
    void shouldFollowTheKeysDatasetList() {
        CallerName limited = new CallerName();
        limited.set(new Principal("ci", Set.of("write"), List.of("reviews"), List.of("reviews")));
        CallerName unlimited = new CallerName();
        unlimited.set(new Principal("ops", Set.of("admin"), null, null));

        assertThat(limited.mayUse("reviews")).isTrue();
        assertThat(limited.mayUse("tickets")).isFalse();
        assertThat(unlimited.mayUse("tickets")).isTrue();
    }
}
