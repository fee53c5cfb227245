package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * L2-regularised logistic regression solved by LIBLINEAR (primal trust-region Newton, one-vs-rest for more than two
 * labels, probabilities normalised; the intercept is the featurizer's constant feature, regularised with the weights
 * as in LIBLINEAR's own tools and scikit-learn's liblinear solver): deterministic, so the same examples in the
 * same order with the same parameters give the same weights, and the same bytes. {@code c} is the inverse
 * regularisation strength (as in scikit-learn); with {@code balanced} each label weighs n / (k · n_label), so rare
 * labels count as much as common ones. Feature names map to LIBLINEAR's indices in sorted order.
 */
final class LibLinearClassifier extends NamedLinearClassifier {

    static final String SOLVER = "liblinear";
    static final String ENTRY = "model.liblinear";

    static {
        Linear.disableDebugOutput();
    }

    private final Model model;

    private LibLinearClassifier(List<String> labels, List<String> featureNames, Model model) {
        super(SOLVER, labels, featureNames);
        this.model = model;
    }

    static LibLinearClassifier train(List<SortedMap<String, Double>> examples, List<String> truth, double c, boolean balanced, long seed) {
        List<String> labels = List.copyOf(new TreeSet<>(truth));
        TreeSet<String> names = new TreeSet<>();
        examples.forEach(e -> names.addAll(e.keySet()));
        LibLinearClassifier shape = new LibLinearClassifier(labels, new ArrayList<>(names), null);
        Problem problem = new Problem();
        problem.l = examples.size();
        problem.n = names.size();
        problem.bias = -1; // the featurizer's constant bias feature is the intercept
        problem.x = new Feature[examples.size()][];
        problem.y = new double[examples.size()];
        int[] counts = new int[labels.size()];
        for (int i = 0; i < examples.size(); i++) {
            problem.x[i] = shape.nodes(examples.get(i));
            int label = labels.indexOf(truth.get(i));
            problem.y[i] = label;
            counts[label]++;
        }
        Parameter parameter = new Parameter(SolverType.L2R_LR, c, 0.001);
        parameter.setRandom(new Random(seed));
        if (balanced) {
            double[] weights = new double[labels.size()];
            int[] ids = new int[labels.size()];
            for (int k = 0; k < labels.size(); k++) {
                ids[k] = k;
                weights[k] = (double) examples.size() / (labels.size() * counts[k]);
            }
            parameter.setWeights(weights, ids);
        }
        return new LibLinearClassifier(labels, shape.featureNames(), Linear.train(problem, parameter));
    }

    private Feature[] nodes(SortedMap<String, Double> features) {
        List<Feature> nodes = new ArrayList<>(features.size());
        // sorted names give increasing indices, as LIBLINEAR requires
        features.forEach((name, value) -> {
            Integer i = position(name);
            if (i != null && value != 0) {
                nodes.add(new FeatureNode(i + 1, value)); // LIBLINEAR's indices start at 1
            }
        });
        return nodes.toArray(new Feature[0]);
    }

    @Override
    public Map<String, Double> scores(SortedMap<String, Double> features) {
        double[] probabilities = new double[model.getNrClass()];
        Linear.predictProbability(model, nodes(features), probabilities);
        int[] ids = model.getLabels();
        Map<String, Double> scores = new TreeMap<>();
        for (int k = 0; k < ids.length; k++) {
            scores.put(labels().get(ids[k]), probabilities[k]);
        }
        return scores;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        model.save(text); // closes the writer, which flushes it
    }

    @Override
    public String entry() {
        return ENTRY;
    }

    static LibLinearClassifier read(JsonNode json, byte[] bytes) throws IOException {
        List<String> labels = names(SOLVER, json, "labels");
        List<String> features = names(SOLVER, json, "features");
        Model model = Model.load(new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        for (int id : model.getLabels()) {
            if (id < 0 || id >= labels.size()) {
                throw new IOException("the model predicts class " + id + " of " + labels.size() + " labels");
            }
        }
        if (model.getNrFeature() > features.size()) {
            throw new IOException("the model has " + model.getNrFeature() + " features, the header names " + features.size());
        }
        return new LibLinearClassifier(labels, features, model);
    }
}
