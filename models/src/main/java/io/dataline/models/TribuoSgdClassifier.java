package io.dataline.models;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Multinomial logistic regression by Tribuo's linear SGD (log-multiclass objective, AdaGrad), without regularisation:
 * the built-in trainer's solver before LIBLINEAR, kept as {@code solver: sgd} and for models trained with it. Trained
 * again from the same examples it predicts the same, but its bytes differ: Tribuo's serialisation carries its
 * provenance (training time, host, JVM).
 */
final class TribuoSgdClassifier implements LinearClassifier {

    static final String SOLVER = "sgd";

    private final Model<Label> model;

    private TribuoSgdClassifier(Model<Label> model) {
        this.model = model;
    }

    static TribuoSgdClassifier train(List<SortedMap<String, Double>> examples, List<String> truth, int epochs, double learningRate,
            int minibatchSize, long seed) {
        LabelFactory factory = new LabelFactory();
        List<Example<Label>> list = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            list.add(example(new Label(truth.get(i)), examples.get(i)));
        }
        var source = new ListDataSource<>(list, factory, new SimpleDataSourceProvenance("dataline training split", factory));
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(learningRate, 1e-6), epochs, Integer.MAX_VALUE,
                minibatchSize, seed);
        return new TribuoSgdClassifier(trainer.train(new MutableDataset<>(source)));
    }

    private static Example<Label> example(Label label, Map<String, Double> features) {
        String[] names = new String[features.size()];
        double[] values = new double[features.size()];
        int i = 0;
        for (var feature : features.entrySet()) {
            names[i] = feature.getKey();
            values[i++] = feature.getValue();
        }
        return new ArrayExample<>(label, names, values);
    }

    @Override
    public String solver() {
        return SOLVER;
    }

    @Override
    public List<String> labels() {
        return model.getOutputIDInfo().getDomain().stream().map(Label::getLabel).sorted().toList();
    }

    @Override
    public Map<String, Double> scores(SortedMap<String, Double> features) {
        Prediction<Label> prediction = model.predict(example(LabelFactory.UNKNOWN_LABEL, features));
        Map<String, Double> scores = new TreeMap<>();
        prediction.getOutputScores().forEach((label, score) -> scores.put(label, score.getScore()));
        return scores;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        model.serializeToStream(out);
    }

    static TribuoSgdClassifier read(byte[] bytes) throws IOException {
        Model<?> model = Model.deserializeFromStream(new ByteArrayInputStream(bytes));
        if (!model.validate(Label.class)) {
            throw new IOException("the Tribuo model is not a classifier");
        }
        @SuppressWarnings("unchecked")
        Model<Label> classifier = (Model<Label>) model;
        return new TribuoSgdClassifier(classifier);
    }
}
