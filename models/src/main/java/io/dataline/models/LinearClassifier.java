package io.dataline.models;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The trained part of a built-in model: class scores from named feature values, and the model as stored in the
 * artifact (in the entry {@code model.<solver>}; {@code model.tribuo} for {@code sgd}).
 */
interface LinearClassifier {

    /** The solver's name, as in the spec's {@code params.solver} and the artifact's header. */
    String solver();

    /** The labels it can predict, sorted. */
    List<String> labels();

    /** The probability of each label (they sum to 1); features it never saw are ignored. */
    Map<String, Double> scores(SortedMap<String, Double> features);

    /** Writes the model as stored in the artifact (the same model gives the same bytes where the solver allows). */
    void write(OutputStream out) throws IOException;
}
