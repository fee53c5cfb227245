package io.dataline.dataset;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Ids bound into one statement, a batch at a time: PostgreSQL takes at most 65,535 parameters in a statement, and a list
 * of every dataset (what {@code GET /datasets} and an unrestricted key's {@code GET /pipelines} read) can pass that.
 */
final class IdBatches {

    /** Ids per statement. */
    static final int SIZE = 1000;

    private IdBatches() {
    }

    static <T> List<List<T>> of(Collection<T> ids, int size) {
        List<T> all = List.copyOf(ids);
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            batches.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return batches;
    }
}
