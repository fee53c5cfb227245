package io.dataline.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataline.dataset.Dataset;
import io.dataline.service.rest.ProblemException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dataset restrictions fail closed: without an authenticated key nothing may be used. */
class CallerTest {

    private static Dataset dataset(String name) {
        Dataset dataset = new Dataset();
        dataset.name = name;
        dataset.slug = name.toLowerCase();
        return dataset;
    }

    @Test
    void shouldRefuseEveryDatasetWithoutAnAuthenticatedKey() {
        Caller nobody = new Caller();

        assertThat(nobody.mayUse(dataset("Reviews"))).isFalse();
        assertThatThrownBy(() -> nobody.requireDataset(dataset("Reviews"), "Reviews")).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.getMessage()).contains("no dataset named \"Reviews\""));
    }

    @Test
    void shouldAllowWhatTheKeyMayUse() {
        Caller limited = new Caller();
        limited.set(new Caller.Principal("k1", "reviews-writer", Set.of(Scope.WRITE), List.of("Reviews")));
        Caller unlimited = new Caller();
        unlimited.set(new Caller.Principal("k2", "admin", Set.of(Scope.ADMIN), null));

        assertThat(limited.mayUse(dataset("Reviews"))).isTrue();
        assertThat(limited.mayUse(dataset("Payroll"))).isFalse();
        assertThatThrownBy(() -> limited.requireDataset(dataset("Payroll"), "payroll")).isInstanceOf(ProblemException.class);
        assertThat(unlimited.mayUse(dataset("Payroll"))).isTrue();
    }
}
