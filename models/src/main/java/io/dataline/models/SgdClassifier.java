package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
 * names in the header and the rows in {@code model.sgd}, a format of Dataline's own: a first line {@value #FORMAT},
 * then every weight, label by label (a row of a weight per feature, then the intercept), as the 8 bytes of its IEEE 754
 * double, most significant first. So the same examples in the same order with the same parameters and seed give the
 * same bytes, every weight reads back to the very double, and reading it needs no reflection nor any decimal
 * conversion (which took most of the time writing and loading a model took: BENCHMARKS.md, session 43). Still read:
 * {@value #TEXT_FORMAT} (a first line, then a line per label of space-separated decimal weights: the format before
 * this one), and Tribuo's protobuf ({@code model.tribuo}, before that), which Tribuo reads once into the same weights.
 */
final class SgdClassifier extends NamedLinearClassifier {

    static final String SOLVER = "sgd";
    /** The artifact entry of this format, and of the Tribuo protobuf written before it. */
    static final String ENTRY = "model.sgd";
    static final String TRIBUO_ENTRY = "model.tribuo";
    static final String FORMAT = "dataline-softmax-linear/2";
    /** The decimal text format written before {@link #FORMAT}, still read. */
    static final String TEXT_FORMAT = "dataline-softmax-linear/1";

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
        byte[] format = (FORMAT + "\n").getBytes(StandardCharsets.US_ASCII);
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(format.length + 8 * weights.length * (featureNames().size() + 1)).put(format);
        for (double[] row : weights) {
            for (double w : row) {
                bytes.putDouble(w); // big-endian, the raw bits: the very double reads back
            }
        }
        out.write(bytes.array());
    }

    /** Reads {@link #write}'s entry (or one in {@link #TEXT_FORMAT}) with the header's {@link #toJson} part. */
    static SgdClassifier read(JsonNode json, byte[] bytes) throws IOException {
        List<String> labels = names(SOLVER, json, "labels");
        List<String> features = names(SOLVER, json, "features");
        if (labels.isEmpty()) {
            throw new IOException("the header names no labels");
        }
        int newline = -1;
        for (int i = 0; i < Math.min(bytes.length, 64) && newline < 0; i++) {
            newline = bytes[i] == '\n' ? i : -1;
        }
        String format = newline < 0 ? "" : new String(bytes, 0, newline, StandardCharsets.US_ASCII);
        if (format.equals(TEXT_FORMAT)) {
            return readText(labels, features, bytes, newline + 1);
        }
        if (!format.equals(FORMAT)) {
            throw new IOException("the model is not in the format " + FORMAT + " (nor " + TEXT_FORMAT + ")");
        }
        int columns = features.size() + 1;
        long expected = 8L * labels.size() * columns;
        if (bytes.length - newline - 1 != expected) {
            throw new IOException("the model has " + (bytes.length - newline - 1) + " bytes of weights, not the " + expected + " of "
                    + labels.size() + " labels x " + columns + " weights");
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes, newline + 1, bytes.length - newline - 1);
        double[][] weights = new double[labels.size()][columns];
        for (int k = 0; k < labels.size(); k++) {
            for (int j = 0; j < columns; j++) {
                double w = in.getDouble();
                if (!Double.isFinite(w)) {
                    throw new IOException("label " + labels.get(k) + " has a weight that is not a finite number: " + w);
                }
                weights[k][j] = w;
            }
        }
        return new SgdClassifier(labels, features, weights);
    }

    /** The weights of an entry in {@link #TEXT_FORMAT}, from {@code from} (after its first line). */
    private static SgdClassifier readText(List<String> labels, List<String> features, byte[] bytes, int from) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes, from, bytes.length - from), StandardCharsets.UTF_8));
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
     * A weight as {@link #TEXT_FORMAT} holds it (a decimal, as {@code Double.toString} writes it), read back to the same double by Jackson's fast
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
