package io.dataline.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The trained part of a built-in model: class scores from named feature values, and the model as stored in the
 * artifact: its part of the header (under the solver's name) and its entry ({@code model.<solver>}).
 */
interface LinearClassifier {

    /** The solver's name, as in the spec's {@code params.solver} and the artifact's header. */
    String solver();

    /** The labels it can predict, sorted. */
    List<String> labels();

    /** The probability of each label (they sum to 1); features it never saw are ignored. */
    Map<String, Double> scores(SortedMap<String, Double> features);

    /** Roughly the heap it holds, in bytes (see {@link BuiltinModel#approximateHeapBytes}). */
    long approximateHeapBytes();

    /** Its part of the artifact's header: what the entry does not hold (labels and feature names by position). */
    ObjectNode toJson();

    /** The artifact entry {@link #write} fills. */
    String entry();

    /** Writes the model as stored in the artifact entry (the same model gives the same bytes). */
    void write(OutputStream out) throws IOException;
}
