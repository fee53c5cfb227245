package io.dataline.models;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** The trained part of a built-in model: class scores from named feature values, and its bytes in the artifact. */
abstract class LinearClassifier {

    private final String solver;
    private final String entry;

    LinearClassifier(String solver, String entry) {
        this.solver = solver;
        this.entry = entry;
    }

    /** The solver's name, as in the spec's {@code params.solver} and the artifact's header. */
    final String solver() {
        return solver;
    }

    /** The artifact entry holding the model. */
    final String entry() {
        return entry;
    }

    /** The labels it can predict, sorted. */
    abstract List<String> labels();

    /** The probability of each label (they sum to 1); features it never saw are ignored. */
    abstract Map<String, Double> scores(SortedMap<String, Double> features);

    /** Writes the model as stored in the artifact. */
    abstract void write(OutputStream out) throws IOException;

    /** The model's bytes in the artifact (the same model gives the same bytes where the solver allows). */
    final byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
