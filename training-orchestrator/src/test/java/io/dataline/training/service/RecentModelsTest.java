package io.dataline.training.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Reference;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentModelsTest {

    private final List<Reference<String>> made = new ArrayList<>();
    private final RecentModels<String> models = new RecentModels<>(2, 3, model -> {
        Reference<String> reference = new SoftReference<>(model);
        made.add(reference);
        return reference;
    });

    @Test
    void shouldKeepEveryModelWithinHeldAndSoftlyKeptInTurn() {
        for (int round = 0; round < 3; round++) { // five models used in turn, as datasets trained one after the other
            for (int i = 0; i < 5; i++) {
                String path = "m" + i;
                if (round > 0) {
                    assertThat(models.get(path)).as("round %d, %s", round, path).isEqualTo("model " + i);
                } else {
                    assertThat(models.get(path)).isNull();
                    models.put(path, "model " + i);
                }
            }
        }
    }

    @Test
    void shouldForgetTheLeastRecentlyUsedBeyondHeldAndSoftlyKept() {
        for (int i = 0; i < 6; i++) {
            models.put("m" + i, "model " + i);
        }
        assertThat(models.get("m0")).isNull(); // six models, room for five
        assertThat(models.get("m1")).isEqualTo("model 1");
        models.put("m6", "model 6"); // m1 was used last of the older ones: m2 goes
        assertThat(models.get("m2")).isNull();
        assertThat(models.get("m1")).isEqualTo("model 1");
    }

    @Test
    void shouldReadAgainWhatTheCollectorTookBack() {
        for (int i = 0; i < 4; i++) {
            models.put("m" + i, "model " + i);
        }
        // m0 and m1 are held softly now; the collector clears them as it would with the heap running short
        assertThat(made).hasSize(2);
        made.forEach(Reference::clear);
        assertThat(models.get("m0")).isNull();
        assertThat(models.get("m1")).isNull();
        assertThat(models.get("m2")).isEqualTo("model 2"); // the two used last are held strongly
        assertThat(models.get("m3")).isEqualTo("model 3");
        models.put("m0", "model 0 read again");
        assertThat(models.get("m0")).isEqualTo("model 0 read again");
    }

    @Test
    void shouldHoldTheModelAPutReplaced() {
        models.put("m0", "first");
        models.put("m1", "other");
        models.put("m2", "other");
        models.put("m0", "second"); // m0 was softly kept: the new one is held, the old reference gone
        assertThat(models.get("m0")).isEqualTo("second");
    }
}
