package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Classification metrics on held-out records, under these exact keys: {@code accuracy}, {@code macroF1} (the
 * unweighted mean of per-label F1 over every label that occurs in the truth or the predictions), {@code logLoss}
 * (natural log, probabilities clipped to [1e-15, 1]), {@code perClass} {label: {precision, recall, f1, support}} and
 * {@code confusionMatrix} {labels, matrix}: rows are true labels, columns predicted ones, both in {@code labels} order.
 */
public record Metrics(double accuracy, double macroF1, double logLoss, Map<String, ClassMetrics> perClass, List<String> labels,
        long[][] matrix) {

    static final double EPSILON = 1e-15;

    public static Metrics compute(List<String> truth, List<ModelPrediction> predictions) {
        if (truth.size() != predictions.size()) {
            throw new IllegalArgumentException(truth.size() + " labels for " + predictions.size() + " predictions");
        }
        if (truth.isEmpty()) {
            throw new IllegalArgumentException("nothing to evaluate: no held-out record has a label");
        }
        TreeSet<String> all = new TreeSet<>(truth);
        predictions.forEach(p -> all.add(p.label()));
        List<String> labels = List.copyOf(all);
        Map<String, Integer> index = new LinkedHashMap<>();
        labels.forEach(l -> index.put(l, index.size()));
        long[][] matrix = new long[labels.size()][labels.size()];
        long correct = 0;
        double loss = 0;
        for (int i = 0; i < truth.size(); i++) {
            String actual = truth.get(i);
            ModelPrediction p = predictions.get(i);
            matrix[index.get(actual)][index.get(p.label())]++;
            if (actual.equals(p.label())) {
                correct++;
            }
            double probability = p.scores().getOrDefault(actual, 0.0);
            loss -= Math.log(Math.min(1, Math.max(EPSILON, probability)));
        }
        Map<String, ClassMetrics> perClass = new LinkedHashMap<>();
        double f1Sum = 0;
        for (String label : labels) {
            int k = index.get(label);
            long tp = matrix[k][k];
            long predicted = 0;
            long support = 0;
            for (int j = 0; j < labels.size(); j++) {
                predicted += matrix[j][k];
                support += matrix[k][j];
            }
            double precision = predicted == 0 ? 0 : tp / (double) predicted;
            double recall = support == 0 ? 0 : tp / (double) support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.put(label, new ClassMetrics(precision, recall, f1, support));
            f1Sum += f1;
        }
        return new Metrics(correct / (double) truth.size(), f1Sum / labels.size(), loss / truth.size(), perClass, labels, matrix);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("accuracy", accuracy);
        json.put("macroF1", macroF1);
        json.put("logLoss", logLoss);
        ObjectNode classes = json.putObject("perClass");
        perClass.forEach((label, m) -> classes.putObject(label).put("precision", m.precision()).put("recall", m.recall())
                .put("f1", m.f1()).put("support", m.support()));
        ObjectNode confusion = json.putObject("confusionMatrix");
        ArrayNode names = confusion.putArray("labels");
        labels.forEach(names::add);
        ArrayNode rows = confusion.putArray("matrix");
        for (long[] row : matrix) {
            ArrayNode r = rows.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        return json;
    }

    /**
     * Reads metrics written by someone else (a process trainer's {@code metrics.json}), checking every key and range;
     * {@link InvalidMetricsException} says what is wrong.
     */
    public static Metrics fromJson(JsonNode json) {
        List<String> problems = new ArrayList<>();
        if (json == null || !json.isObject()) {
            throw new InvalidMetricsException(List.of("metrics must be a JSON object"));
        }
        double accuracy = fraction(json, "accuracy", problems);
        double macroF1 = fraction(json, "macroF1", problems);
        double logLoss = json.path("logLoss").isNumber() && json.path("logLoss").asDouble() >= 0 && Double.isFinite(json.path("logLoss").asDouble())
                ? json.path("logLoss").asDouble() : bad(problems, "logLoss: must be a finite number >= 0");
        Map<String, ClassMetrics> perClass = new LinkedHashMap<>();
        JsonNode classes = json.get("perClass");
        if (classes == null || !classes.isObject()) {
            problems.add("perClass: must be an object {label: {precision, recall, f1, support}}");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = classes.fields(); it.hasNext(); ) {
                var entry = it.next();
                JsonNode m = entry.getValue();
                String at = "perClass." + entry.getKey() + ".";
                double p = fraction(m, "precision", problems, at);
                double r = fraction(m, "recall", problems, at);
                double f = fraction(m, "f1", problems, at);
                long support = m.path("support").canConvertToLong() && m.path("support").isIntegralNumber() && m.path("support").asLong() >= 0
                        ? m.path("support").asLong() : (long) bad(problems, at + "support: must be an integer >= 0");
                perClass.put(entry.getKey(), new ClassMetrics(p, r, f, support));
            }
        }
        List<String> labels = new ArrayList<>();
        long[][] matrix = new long[0][0];
        JsonNode confusion = json.get("confusionMatrix");
        if (confusion == null || !confusion.path("labels").isArray() || !confusion.path("matrix").isArray()) {
            problems.add("confusionMatrix: must be {labels: [...], matrix: [[...]]}");
        } else {
            confusion.path("labels").forEach(l -> labels.add(l.asText()));
            JsonNode rows = confusion.path("matrix");
            matrix = new long[rows.size()][];
            boolean square = rows.size() == labels.size();
            for (int i = 0; i < rows.size() && square; i++) {
                JsonNode row = rows.get(i);
                square = row.isArray() && row.size() == labels.size();
                matrix[i] = new long[labels.size()];
                for (int j = 0; square && j < row.size(); j++) {
                    if (!row.get(j).isIntegralNumber() || row.get(j).asLong() < 0) {
                        square = false;
                    } else {
                        matrix[i][j] = row.get(j).asLong();
                    }
                }
            }
            if (!square) {
                problems.add("confusionMatrix.matrix: must be a square matrix of counts >= 0, one row and column per label");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidMetricsException(problems);
        }
        return new Metrics(accuracy, macroF1, logLoss, perClass, List.copyOf(labels), matrix);
    }

    private static double fraction(JsonNode json, String name, List<String> problems) {
        return fraction(json, name, problems, "");
    }

    private static double fraction(JsonNode json, String name, List<String> problems, String at) {
        JsonNode v = json.get(name);
        if (v == null || !v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1 || Double.isNaN(v.asDouble())) {
            problems.add(at + name + ": must be a number between 0 and 1");
            return 0;
        }
        return v.asDouble();
    }

    private static double bad(List<String> problems, String problem) {
        problems.add(problem);
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metrics m && accuracy == m.accuracy && macroF1 == m.macroF1 && logLoss == m.logLoss
                && perClass.equals(m.perClass) && labels.equals(m.labels) && java.util.Arrays.deepEquals(matrix, m.matrix);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(accuracy, macroF1, logLoss, perClass, labels, java.util.Arrays.deepHashCode(matrix));
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
