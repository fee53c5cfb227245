package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The built-in trainer: logistic regression on the features of {@link Featurizer}. Parameters ({@code params} of the
 * spec):
 * <ul>
 * <li>{@code solver}: {@code liblinear} (default; L2-regularised: {@link LibLinearClassifier}) or {@code sgd} (Tribuo's
 * linear SGD without regularisation, the solver before, computed as Tribuo computes it: {@link SgdClassifier}). Both are deterministic, down to the
 * artifact's bytes.</li>
 * <li>{@code c} (liblinear): inverse regularisation strength, default 1.0 — smaller regularises more.</li>
 * <li>{@code classWeights} (liblinear): {@code none} (default) or {@code balanced} (each label weighs
 * n / (k · n_label): for imbalanced labels).</li>
 * <li>{@code text}: {@code tfidf} (default) or {@code binary}; {@code maxVocabulary} (100,000): most terms kept per
 * text field; {@code ngrams}: 1 or 2 (default 2).</li>
 * <li>{@code epochs} (20), {@code learningRate} (0.1), {@code minibatchSize} (1): sgd only.</li>
 * </ul>
 * Given the same records in the same order and the same spec (and seed), it produces the same model.
 */
public final class BuiltinTrainer {

    public static final String NAME = "builtin";
    private static final Set<String> PARAMS = Set.of("solver", "c", "classWeights", "text", "maxVocabulary", "ngrams", "epochs", "learningRate",
            "minibatchSize");
    private static final Set<String> SGD_ONLY = Set.of("epochs", "learningRate", "minibatchSize");
    private static final Set<String> LIBLINEAR_ONLY = Set.of("c", "classWeights");

    private BuiltinTrainer() {
    }

    /** Checks the spec's parameters without training; throws {@link InvalidSpecException} listing each problem. */
    public static void checkParams(TrainingSpec spec) {
        Params.of(spec);
    }

    public static BuiltinModel train(TrainingSpec spec, List<JsonNode> training) {
        Params p = Params.of(spec);
        List<JsonNode> labelled = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        for (JsonNode record : training) {
            String label = Labels.of(record, spec.labelField());
            if (label != null) {
                labelled.add(record);
                truth.add(label);
            }
        }
        if (labelled.isEmpty()) {
            throw new IllegalArgumentException("no training record has a value in the label field \"" + spec.labelField() + "\"");
        }
        TreeSet<String> labels = new TreeSet<>(truth);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("the training records have a single label (" + labels.first() + "): a classifier needs at least two");
        }
        Featurizer featurizer = Featurizer.fit(spec.features(), labelled, p.ngrams(), p.text(), p.maxVocabulary());
        List<SortedMap<String, Double>> examples = new ArrayList<>(labelled.size());
        labelled.forEach(record -> examples.add(featurizer.apply(record)));
        LinearClassifier classifier = p.solver().equals(LibLinearClassifier.SOLVER)
                ? LibLinearClassifier.train(examples, truth, p.c(), p.balanced(), spec.seed())
                : SgdClassifier.train(examples, truth, p.epochs(), p.learningRate(), p.minibatchSize(), spec.seed());
        return new BuiltinModel(spec, featurizer, classifier);
    }

    private record Params(String solver, double c, boolean balanced, String text, int maxVocabulary, int ngrams, int epochs, double learningRate,
            int minibatchSize) {

        static Params of(TrainingSpec spec) {
            List<String> problems = new ArrayList<>();
            JsonNode params = spec.params();
            String solver = choice(params, "solver", List.of(LibLinearClassifier.SOLVER, SgdClassifier.SOLVER), problems);
            for (Iterator<String> names = params.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!PARAMS.contains(name)) {
                    problems.add("/training/params/" + name + ": not a parameter of the builtin trainer (" + String.join(", ",
                            new TreeSet<>(PARAMS)) + ")");
                } else if (SGD_ONLY.contains(name) && !solver.equals(SgdClassifier.SOLVER)) {
                    problems.add("/training/params/" + name + ": applies to solver sgd only");
                } else if (LIBLINEAR_ONLY.contains(name) && !solver.equals(LibLinearClassifier.SOLVER)) {
                    problems.add("/training/params/" + name + ": applies to solver liblinear only");
                }
            }
            double c = number(params, "c", 1.0, 1e6, problems);
            boolean balanced = choice(params, "classWeights", List.of("none", "balanced"), problems).equals("balanced");
            String text = choice(params, "text", List.of(Featurizer.TFIDF, Featurizer.BINARY), problems);
            int maxVocabulary = integer(params, "maxVocabulary", 100_000, 1, 10_000_000, problems);
            int ngrams = integer(params, "ngrams", 2, 1, 2, problems);
            int epochs = integer(params, "epochs", 20, 1, 10_000, problems);
            double rate = number(params, "learningRate", 0.1, 100, problems);
            int minibatch = integer(params, "minibatchSize", 1, 1, 100_000, problems);
            if (!problems.isEmpty()) {
                throw new InvalidSpecException(problems);
            }
            return new Params(solver, c, balanced, text, maxVocabulary, ngrams, epochs, rate, minibatch);
        }

        private static String choice(JsonNode params, String name, List<String> allowed, List<String> problems) {
            JsonNode v = params.get(name);
            if (v == null) {
                return allowed.get(0);
            }
            if (!v.isTextual() || !allowed.contains(v.textValue())) {
                problems.add("/training/params/" + name + ": must be one of " + String.join(", ", allowed));
                return allowed.get(0);
            }
            return v.textValue();
        }

        private static int integer(JsonNode params, String name, int fallback, int min, int max, List<String> problems) {
            JsonNode v = params.get(name);
            if (v == null) {
                return fallback;
            }
            if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
                problems.add("/training/params/" + name + ": must be an integer from " + min + " to " + max);
                return fallback;
            }
            return v.asInt();
        }

        private static double number(JsonNode params, String name, double fallback, double max, List<String> problems) {
            JsonNode v = params.get(name);
            if (v == null) {
                return fallback;
            }
            if (!v.isNumber() || !(v.asDouble() > 0) || v.asDouble() > max) {
                problems.add("/training/params/" + name + ": must be a number in (0, " + (long) max + "]");
                return fallback;
            }
            return v.asDouble();
        }
    }
}
