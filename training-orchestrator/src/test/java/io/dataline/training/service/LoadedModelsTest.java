package io.dataline.training.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The parsed-model cache keeps as many models as its byte budget holds, least recently used out first. */
class LoadedModelsTest {

    @Test
    void holdsEveryDatasetsModelWithinTheBudget() {
        LoadedModels<String> models = new LoadedModels<>(20 * 100_000);
        for (int i = 0; i < 20; i++) {
            models.put("m" + i, "model " + i, 100_000);
        }
        assertThat(models.size()).isEqualTo(20);
        for (int i = 0; i < 20; i++) {
            assertThat(models.get("m" + i)).isEqualTo("model " + i);
        }
        assertThat(models.bytes()).isEqualTo(2_000_000);
    }

    @Test
    void evictsTheLeastRecentlyUsedOverTheBudget() {
        LoadedModels<String> models = new LoadedModels<>(300);
        models.put("a", "A", 100);
        models.put("b", "B", 100);
        models.put("c", "C", 100);
        assertThat(models.get("a")).isEqualTo("A"); // used: b is now the eldest
        models.put("d", "D", 100);
        assertThat(models.get("b")).isNull();
        assertThat(models.get("a")).isEqualTo("A");
        assertThat(models.get("c")).isEqualTo("C");
        assertThat(models.get("d")).isEqualTo("D");
        assertThat(models.bytes()).isEqualTo(300);

        models.put("c", "C2", 250); // replacing an entry counts its new size only
        assertThat(models.get("c")).isEqualTo("C2");
        assertThat(models.bytes()).isLessThanOrEqualTo(300);
        assertThat(models.size()).isEqualTo(1);
    }

    @Test
    void theLastModelStaysEvenAloneOverTheBudgetAndZeroKeepsNone() {
        LoadedModels<String> models = new LoadedModels<>(100);
        models.put("small", "S", 50);
        models.put("large", "L", 1_000);
        assertThat(models.get("large")).isEqualTo("L");
        assertThat(models.get("small")).isNull();
        assertThat(models.size()).isEqualTo(1);

        LoadedModels<String> none = new LoadedModels<>(0);
        none.put("x", "X", 1);
        assertThat(none.get("x")).isNull();
    }
}
