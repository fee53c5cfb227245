package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The built-in trainer: multinomial logistic regression (Tribuo's linear SGD with the log-multiclass objective and
 * AdaGrad) on the features of {@link Featurizer}. Parameters ({@code params} of the spec): {@code epochs} (20),
 * {@code learningRate} (0.1), {@code minibatchSize} (1), {@code ngrams} (1 or 2, default 2). Given the same records
 * in the same order and the same spec, it produces the same model.
 */
public final class BuiltinTrainer {

    public static final String NAME = "builtin";
    private static final Set<String> PARAMS = Set.of("epochs", "learningRate", "minibatchSize", "ngrams");

    private BuiltinTrainer() {
    }

    /** Checks the spec's parameters without training; throws {@link InvalidSpecException} listing each problem. */
    public static void checkParams(TrainingSpec spec) {
        params(spec);
    }

    public static BuiltinModel train(TrainingSpec spec, List<JsonNode> training) {
        Params p = params(spec);
        List<JsonNode> labelled = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (JsonNode record : training) {
            String label = Labels.of(record, spec.labelField());
            if (label != null) {
                labelled.add(record);
                labels.add(label);
            }
        }
        if (labelled.isEmpty()) {
            throw new IllegalArgumentException("no training record has a value in the label field \"" + spec.labelField() + "\"");
        }
        if (labels.size() < 2) {
            throw new IllegalArgumentException("the training records have a single label (" + labels.iterator().next()
                    + "): a classifier needs at least two");
        }
        Featurizer featurizer = Featurizer.fit(spec.features(), labelled, p.ngrams());
        LabelFactory factory = new LabelFactory();
        List<Example<Label>> examples = new ArrayList<>(labelled.size());
        for (JsonNode record : labelled) {
            examples.add(example(new Label(Labels.of(record, spec.labelField())), featurizer.apply(record)));
        }
        var source = new ListDataSource<>(examples, factory, new SimpleDataSourceProvenance("dataline training split", factory));
        MutableDataset<Label> dataset = new MutableDataset<>(source);
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(p.learningRate(), 1e-6), p.epochs(),
                Integer.MAX_VALUE, p.minibatchSize(), spec.seed());
        Model<Label> model = trainer.train(dataset);
        return new BuiltinModel(spec, featurizer, model);
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

    private record Params(int epochs, double learningRate, int minibatchSize, int ngrams) {
    }

    private static Params params(TrainingSpec spec) {
        List<String> problems = new ArrayList<>();
        JsonNode params = spec.params();
        for (Iterator<String> names = params.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PARAMS.contains(name)) {
                problems.add("/training/params/" + name + ": not a parameter of the builtin trainer (epochs, learningRate, minibatchSize, ngrams)");
            }
        }
        int epochs = integer(params, "epochs", 20, 1, 10_000, problems);
        int minibatch = integer(params, "minibatchSize", 1, 1, 100_000, problems);
        int ngrams = integer(params, "ngrams", 2, 1, 2, problems);
        double rate = 0.1;
        if (params.has("learningRate")) {
            JsonNode v = params.get("learningRate");
            if (!v.isNumber() || !(v.asDouble() > 0) || v.asDouble() > 100) {
                problems.add("/training/params/learningRate: must be a number in (0, 100]");
            } else {
                rate = v.asDouble();
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return new Params(epochs, rate, minibatch, ngrams);
    }

    private static int integer(JsonNode params, String name, int fallback, int min, int max, List<String> problems) {
        if (!params.has(name)) {
            return fallback;
        }
        JsonNode v = params.get(name);
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            problems.add("/training/params/" + name + ": must be an integer from " + min + " to " + max);
            return fallback;
        }
        return v.asInt();
    }
}
