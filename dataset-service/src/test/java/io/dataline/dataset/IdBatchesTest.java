package io.dataline.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.TestTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Covers the statements that bind a list of every dataset, a batch of ids at a time (PostgreSQL's 65,535 parameters
 * per statement): split into batches of one, they answer what one statement answers — the newest versions across
 * datasets merged and cut to the limit in the same order, every dataset's current schema.
 */
@QuarkusTest
class IdBatchesTest {

    @Inject
    DatasetRepository datasets;

    @Inject
    DatasetVersionRepository versions;

    @Inject
    DatasetSchemaRepository schemas;

    private static String commit(String slug, String key) {
        return Api.commitOn(slug, "main", List.of(Api.feedback(key, "text of " + key, "positive")));
    }

    @Test
    @TestTransaction
    void shouldAnswerInBatchesWhatOneStatementAnswers() {
        String a = Api.createFeedbackDataset(Api.uniqueName("Batch a"));
        String b = Api.createFeedbackDataset(Api.uniqueName("Batch b"));
        String c = Api.createFeedbackDataset(Api.uniqueName("Batch c"));
        commit(a, "a1");
        commit(b, "b1");
        String a2 = commit(a, "a2");
        String c1 = commit(c, "c1");
        String a3 = commit(a, "a3");
        List<Dataset> three = Stream.of(a, b, c).map(slug -> datasets.findByNameOrSlug(slug).orElseThrow()).toList();
        List<Long> ids = three.stream().map(d -> d.id).toList();

        List<String> together = versions.newest(ids, 2, 3, 1000).stream().map(v -> v.hash).toList();
        List<String> batched = versions.newest(ids, 2, 3, 1).stream().map(v -> v.hash).toList();

        assertThat(together).containsExactly(a3, c1, a2); // a1: a's third newest; b1: fourth of all
        assertThat(batched).isEqualTo(together);
        assertThat(versions.newest(List.of(), 2, 4)).isEmpty();
        assertThat(schemas.current(three, 1)).containsOnlyKeys(ids).isEqualTo(schemas.current(three, 1000));
    }
}
