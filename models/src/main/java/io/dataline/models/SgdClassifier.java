package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Multinomial logistic regression trained by Tribuo's linear SGD (log-multiclass objective, AdaGrad), without
 * regularisation: the built-in trainer's solver before LIBLINEAR, kept as {@code solver: sgd}. Tribuo trains it; the
 * trained model is its weights, one row per label (a weight per feature, then the intercept), scored as Tribuo does
 * (the softmax of each row's dot product with the features it knows). The artifact stores the labels and feature
 * names in the header and the rows in {@code model.sgd}, a text format of Dataline's own: a first line
 * {@value #FORMAT}, then one line per label of space-separated weights, each written so that it reads back to the same
 * double. So the same examples in the same order with the same parameters and seed give the same bytes, and reading it
 * needs no reflection. Artifacts written before (Tribuo's protobuf, {@code model.tribuo}) are read by Tribuo once and
 * held as the same weights.
 */
final class SgdClassifier extends NamedLinearClassifier {

    static final String SOLVER = "sgd";
    /** The artifact entry of this format, and of the Tribuo protobuf written before it. */
    static final String ENTRY = "model.sgd";
    static final String TRIBUO_ENTRY = "model.tribuo";
    static final String FORMAT = "dataline-softmax-linear/1";

    /** weights[label][feature]; the last column is the intercept. */
    private final double[][] weights;

    private SgdClassifier(List<String> labels, List<String> featureNames, double[][] weights) {
        super(SOLVER, labels, featureNames);
        this.weights = weights;
    }

    static SgdClassifier train(List<SortedMap<String, Double>> examples, List<String> truth, int epochs, double learningRate,
            int minibatchSize, long seed) {
        LabelFactory factory = new LabelFactory();
        List<Example<Label>> list = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            list.add(example(new Label(truth.get(i)), examples.get(i)));
        }
        var source = new ListDataSource<>(list, factory, new SimpleDataSourceProvenance("dataline training split", factory));
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(learningRate, 1e-6), epochs, Integer.MAX_VALUE,
                minibatchSize, seed);
        try {
            return of(trainer.train(new MutableDataset<>(source)));
        } catch (IOException e) {
            throw new IllegalStateException("Tribuo's linear SGD trainer gave an unexpected model", e);
        }
    }

    static Example<Label> example(Label label, Map<String, Double> features) {
        String[] names = new String[features.size()];
        double[] values = new double[features.size()];
        int i = 0;
        for (var feature : features.entrySet()) {
            names[i] = feature.getKey();
            values[i++] = feature.getValue();
        }
        return new ArrayExample<>(label, names, values);
    }

    /**
     * The weights of a Tribuo linear SGD classifier, checked against Tribuo's own scores on one example (so a model
     * with another output function is refused rather than scored wrongly).
     */
    static SgdClassifier of(Model<Label> model) throws IOException {
        if (!(model instanceof AbstractLinearSGDModel<?> linear)) {
            throw new IOException("the Tribuo model is a " + model.getClass().getSimpleName() + ", not a linear SGD classifier");
        }
        var features = model.getFeatureIDMap();
        var outputs = model.getOutputIDInfo();
        DenseMatrix matrix = linear.getWeightsCopy();
        int columns = features.size() + 1;
        if (matrix.getDimension1Size() != outputs.size() || matrix.getDimension2Size() != columns) {
            throw new IOException("the Tribuo model's weights are " + matrix.getDimension1Size() + "×" + matrix.getDimension2Size()
                    + ", not " + outputs.size() + "×" + columns);
        }
        List<String> labels = outputs.getDomain().stream().map(Label::getLabel).sorted().toList();
        List<String> names = new ArrayList<>();
        for (VariableInfo info : features) {
            names.add(info.getName());
        }
        names.sort(null);
        double[][] weights = new double[labels.size()][columns];
        for (int k = 0; k < labels.size(); k++) {
            int row = outputs.getID(new Label(labels.get(k)));
            for (int j = 0; j < names.size(); j++) {
                weights[k][j] = matrix.get(row, features.getID(names.get(j)));
            }
            weights[k][names.size()] = matrix.get(row, features.size());
        }
        SgdClassifier classifier = new SgdClassifier(labels, names, weights);
        SortedMap<String, Double> probe = new TreeMap<>();
        names.stream().limit(8).forEach(name -> probe.put(name, 1.0));
        var expected = model.predict(example(LabelFactory.UNKNOWN_LABEL, probe)).getOutputScores();
        Map<String, Double> actual = classifier.scores(probe);
        for (String label : labels) {
            if (Math.abs(expected.get(label).getScore() - actual.get(label)) > 1e-9) {
                throw new IOException("the Tribuo model does not score as a softmax of linear functions");
            }
        }
        return classifier;
    }

    @Override
    public Map<String, Double> scores(SortedMap<String, Double> features) {
        List<String> labels = labels();
        // the features it knows, in name order (the order Tribuo sums in), looked up once for every label
        int[] known = new int[features.size()];
        double[] values = new double[features.size()];
        int n = 0;
        for (var feature : features.entrySet()) {
            Integer j = position(feature.getKey());
            if (j != null) {
                known[n] = j;
                values[n++] = feature.getValue();
            }
        }
        int intercept = featureNames().size();
        double[] z = new double[labels.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < z.length; k++) {
            double[] row = weights[k];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += row[known[i]] * values[i];
            }
            z[k] = sum + row[intercept];
            max = Math.max(max, z[k]);
        }
        double total = 0;
        for (int k = 0; k < z.length; k++) {
            z[k] = Math.exp(z[k] - max);
            total += z[k];
        }
        Map<String, Double> scores = new TreeMap<>();
        for (int k = 0; k < z.length; k++) {
            scores.put(labels.get(k), z[k] / total);
        }
        return scores;
    }

    @Override
    public String entry() {
        return ENTRY;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        text.write(FORMAT);
        text.write('\n');
        StringBuilder line = new StringBuilder();
        for (double[] row : weights) {
            line.setLength(0);
            for (double w : row) {
                // Schubfach (Jackson's fast writer): the shortest decimal that reads back to w, ~3× Java 17's Double.toString
                line.append(line.isEmpty() ? "" : " ").append(com.fasterxml.jackson.core.io.NumberOutput.toString(w, true));
            }
            text.write(line.append('\n').toString());
        }
        text.flush();
    }

    /** Reads {@link #write}'s entry with the header's {@link #toJson} part. */
    static SgdClassifier read(JsonNode json, byte[] bytes) throws IOException {
        List<String> labels = names(SOLVER, json, "labels");
        List<String> features = names(SOLVER, json, "features");
        if (labels.isEmpty()) {
            throw new IOException("the header names no labels");
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        if (!FORMAT.equals(lines.readLine())) {
            throw new IOException("the model is not in the format " + FORMAT);
        }
        double[][] weights = new double[labels.size()][];
        for (int k = 0; k < labels.size(); k++) {
            String line = lines.readLine();
            if (line == null) {
                throw new IOException("the model has weights for " + k + " of " + labels.size() + " labels");
            }
            String[] values = line.split(" ", -1);
            if (values.length != features.size() + 1) {
                throw new IOException("label " + labels.get(k) + " has " + values.length + " weights, not " + (features.size() + 1));
            }
            weights[k] = new double[values.length];
            for (int j = 0; j < values.length; j++) {
                double w = parse(values[j]);
                if (!Double.isFinite(w)) {
                    throw new IOException("label " + labels.get(k) + " has a weight that is not a finite number: " + values[j]);
                }
                weights[k][j] = w;
            }
        }
        if (lines.readLine() != null) {
            throw new IOException("the model has more weight rows than the header's " + labels.size() + " labels");
        }
        return new SgdClassifier(labels, features, weights);
    }

    /**
     * A weight as {@link #write} wrote it ({@code Double.toString}), read back to the same double by Jackson's fast
     * parser (FastDoubleParser: correctly rounded, as {@code Double.parseDouble} is, and several times faster; loading a
     * model is on every promotion's path).
     */
    static double parse(String value) throws IOException {
        try {
            return com.fasterxml.jackson.core.io.NumberInput.parseDouble(value, true);
        } catch (NumberFormatException e) {
            throw new IOException("a weight is not a number: " + (value.length() > 40 ? value.substring(0, 40) + "…" : value));
        }
    }

    /** An artifact written before this format: Tribuo's protobuf of the same model. */
    static SgdClassifier readTribuo(byte[] bytes) throws IOException {
        Model<?> model = Model.deserializeFromStream(new ByteArrayInputStream(bytes));
        if (!model.validate(Label.class)) {
            throw new IOException("the Tribuo model is not a classifier");
        }
        @SuppressWarnings("unchecked")
        Model<Label> classifier = (Model<Label>) model;
        return of(classifier);
    }
}
