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
import java.util.HashMap;
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
 * regularisation: the built-in trainer's solver before LIBLINEAR, kept as {@code solver: sgd}. A minibatch of one (the
 * default) is trained by {@link #trainExampleByExample}, which computes what Tribuo's trainer does on arrays; larger
 * minibatches by Tribuo itself. The trained model is its weights, one row per label (a weight per feature, then the intercept), scored as Tribuo does
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

    /**
     * Trains on the examples in order (the same model for the same examples, parameters and seed). A minibatch of one
     * (the default) is trained by {@link #trainExampleByExample}, larger ones by Tribuo's trainer: the same weights,
     * bit for bit, either way ({@code SgdClassifierTest}).
     */
    static SgdClassifier train(List<SortedMap<String, Double>> examples, List<String> truth, int epochs, double learningRate,
            int minibatchSize, long seed) {
        return minibatchSize == 1 ? trainExampleByExample(examples, truth, epochs, learningRate, seed)
                : trainByTribuo(examples, truth, epochs, learningRate, minibatchSize, seed);
    }

    /**
     * Tribuo's {@code LinearSGDTrainer} with a minibatch of one, step for step and in its order of floating-point
     * operations, on arrays: its feature ids (names in order, the intercept after them), its label ids (the order in
     * which its {@code ImmutableLabelInfo} iterates a {@code HashMap} of the labels), its shuffle of the examples before
     * every epoch (Fisher-Yates from {@code new SplittableRandom(seed).split()}), and per example its softmax
     * ({@code ExpNormalizer}), its log-multiclass gradient and its AdaGrad step (epsilon 1e-6, accumulators from 0,
     * every example weighing 1). Tribuo's trainer spends most of its time building its dataset (a feature map that
     * counts every value, an example per record checked through a HashSet) and moving tensors; this needs neither.
     */
    static SgdClassifier trainExampleByExample(List<SortedMap<String, Double>> examples, List<String> truth, int epochs, double learningRate,
            long seed) {
        int n = examples.size();
        // feature ids
        HashMap<String, Integer> ids = new HashMap<>();
        for (SortedMap<String, Double> example : examples) {
            for (String name : example.keySet()) {
                ids.putIfAbsent(name, 0);
            }
        }
        String[] names = ids.keySet().toArray(new String[0]);
        java.util.Arrays.sort(names);
        for (int j = 0; j < names.length; j++) {
            ids.put(names[j], j);
        }
        int intercept = names.length;
        int[][] columns = new int[n][];
        double[][] values = new double[n][];
        for (int e = 0; e < n; e++) {
            SortedMap<String, Double> example = examples.get(e);
            if (example.isEmpty()) {
                throw new IllegalArgumentException("training example " + e + " has no features");
            }
            int[] c = new int[example.size() + 1];
            double[] v = new double[c.length];
            int i = 0;
            for (var feature : example.entrySet()) {
                if (Double.isNaN(feature.getValue())) {
                    throw new IllegalArgumentException("training example " + e + " has a feature that is not a number: " + feature.getKey());
                }
                c[i] = ids.get(feature.getKey());
                v[i++] = feature.getValue();
            }
            c[i] = intercept;
            v[i] = 1.0;
            columns[e] = c;
            values[e] = v;
        }
        // label ids: Tribuo's MutableLabelInfo counts the labels into a HashMap by computeIfAbsent (which puts a new key
        // at the head of its bucket, where put appends it), its ImmutableLabelInfo copies that map by put into a new
        // HashMap and numbers the copy's entries in iteration order; the same operations on the same JDK give that order
        HashMap<String, Boolean> observed = new HashMap<>();
        truth.forEach(label -> observed.computeIfAbsent(label, l -> Boolean.TRUE));
        HashMap<String, Boolean> copied = new HashMap<>();
        observed.keySet().forEach(label -> copied.put(label, Boolean.TRUE));
        List<String> byId = new ArrayList<>(copied.keySet());
        Map<String, Integer> labelIds = new HashMap<>();
        for (int k = 0; k < byId.size(); k++) {
            labelIds.put(byId.get(k), k);
        }
        int[] targets = new int[n];
        for (int e = 0; e < n; e++) {
            targets[e] = labelIds.get(truth.get(e));
        }

        int labels = byId.size();
        double[][] weights = new double[labels][intercept + 1];
        double[][] squares = new double[labels][intercept + 1];
        double[] z = new double[labels];
        int[] order = new int[n];
        for (int e = 0; e < n; e++) {
            order[e] = e;
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed).split();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n; i > 1; i--) {
                int j = rng.nextInt(i);
                int swapped = order[i - 1];
                order[i - 1] = order[j];
                order[j] = swapped;
            }
            for (int s = 0; s < n; s++) {
                int e = order[s];
                int[] c = columns[e];
                double[] v = values[e];
                double max = -Double.MAX_VALUE;
                for (int k = 0; k < labels; k++) {
                    double[] row = weights[k];
                    double sum = 0;
                    for (int i = 0; i < c.length; i++) {
                        sum += row[c[i]] * v[i];
                    }
                    z[k] = sum;
                    if (max < sum) {
                        max = sum;
                    }
                }
                double total = 0;
                for (int k = 0; k < labels; k++) {
                    z[k] = Math.exp(z[k] - max);
                    total += z[k];
                }
                for (int k = 0; k < labels; k++) {
                    double gradient = -(z[k] / total);
                    if (k == targets[e]) {
                        gradient += 1.0;
                    }
                    double[] row = weights[k];
                    double[] square = squares[k];
                    for (int i = 0; i < c.length; i++) {
                        double g = v[i] * gradient;
                        square[c[i]] += g * g;
                        row[c[i]] += g * (learningRate / (1e-6 + Math.sqrt(square[c[i]])));
                    }
                }
            }
        }
        List<String> sorted = new ArrayList<>(byId);
        sorted.sort(null);
        double[][] rows = new double[labels][];
        for (int k = 0; k < labels; k++) {
            rows[k] = weights[labelIds.get(sorted.get(k))];
        }
        return new SgdClassifier(sorted, List.of(names), rows);
    }

    /** Tribuo's linear SGD trainer (log-multiclass objective, AdaGrad), its model read back as weights by {@link #of}. */
    static SgdClassifier trainByTribuo(List<SortedMap<String, Double>> examples, List<String> truth, int epochs, double learningRate,
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
