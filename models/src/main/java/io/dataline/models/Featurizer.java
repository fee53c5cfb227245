package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns a record into named feature values. Text: lower-cased words (letters and digits) and, with {@code ngrams = 2},
 * adjacent word pairs, each present feature weighted 1/√n so long and short texts weigh alike. Numeric: standardized
 * with the mean and standard deviation of the training split only (a missing value becomes the mean, i.e. 0).
 * Categorical: one-hot on the value's text. Features a model never saw in training are ignored by it. A constant
 * {@code dataline:bias} feature keeps every example non-empty.
 */
public final class Featurizer {

    static final String BIAS = "dataline:bias";
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final List<FeatureSpec> features;
    private final Map<String, double[]> numericStats;
    private final int ngrams;

    private Featurizer(List<FeatureSpec> features, Map<String, double[]> numericStats, int ngrams) {
        this.features = List.copyOf(features);
        this.numericStats = Map.copyOf(numericStats);
        this.ngrams = ngrams;
    }

    /** Learns the numeric statistics from the training records. */
    public static Featurizer fit(List<FeatureSpec> features, Iterable<JsonNode> training, int ngrams) {
        Map<String, double[]> stats = new TreeMap<>();
        for (FeatureSpec feature : features) {
            if (feature.type() != FeatureType.NUMERIC) {
                continue;
            }
            long n = 0;
            double mean = 0;
            double m2 = 0;
            for (JsonNode record : training) {
                Double x = number(record.get(feature.field()));
                if (x == null) {
                    continue;
                }
                n++;
                double delta = x - mean;
                mean += delta / n;
                m2 += delta * (x - mean);
            }
            double std = n > 1 ? Math.sqrt(m2 / n) : 0;
            stats.put(feature.field(), new double[] {mean, std > 1e-12 ? std : 1});
        }
        return new Featurizer(features, stats, ngrams);
    }

    /** The record's features, sorted by name. */
    public SortedMap<String, Double> apply(JsonNode record) {
        SortedMap<String, Double> out = new TreeMap<>();
        out.put(BIAS, 1.0);
        for (FeatureSpec feature : features) {
            JsonNode value = record.get(feature.field());
            switch (feature.type()) {
                case NUMERIC -> {
                    double[] stat = numericStats.get(feature.field());
                    Double x = number(value);
                    out.put(feature.field(), x == null ? 0.0 : (x - stat[0]) / stat[1]);
                }
                case CATEGORICAL -> {
                    if (value != null && !value.isNull() && !value.isMissingNode()) {
                        out.put(feature.field() + "=" + (value.isTextual() ? value.textValue() : value.toString()), 1.0);
                    }
                }
                case TEXT -> {
                    if (value != null && value.isTextual()) {
                        Set<String> terms = terms(value.textValue());
                        double weight = terms.isEmpty() ? 0 : 1 / Math.sqrt(terms.size());
                        for (String term : terms) {
                            out.put(feature.field() + ":" + term, weight);
                        }
                    }
                }
            }
        }
        return out;
    }

    private Set<String> terms(String text) {
        String[] words = NON_WORD.split(text.toLowerCase(Locale.ROOT));
        List<String> tokens = new ArrayList<>(words.length);
        for (String word : words) {
            if (!word.isEmpty()) {
                tokens.add(word);
            }
        }
        Set<String> terms = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            terms.add("w=" + tokens.get(i));
            if (ngrams >= 2 && i + 1 < tokens.size()) {
                terms.add("b=" + tokens.get(i) + " " + tokens.get(i + 1));
            }
        }
        return terms;
    }

    static Double number(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isNumber()) {
            double x = value.asDouble();
            return Double.isFinite(x) ? x : null;
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? 1.0 : 0.0;
        }
        if (value.isTextual()) {
            try {
                double x = Double.parseDouble(value.textValue().trim());
                return Double.isFinite(x) ? x : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("ngrams", ngrams);
        var list = json.putArray("features");
        features.forEach(f -> list.addObject().put("field", f.field()).put("type", f.type().wireName()));
        ObjectNode stats = json.putObject("numeric");
        numericStats.forEach((field, s) -> stats.putObject(field).put("mean", s[0]).put("std", s[1]));
        return json;
    }

    public static Featurizer fromJson(JsonNode json) {
        List<FeatureSpec> features = new ArrayList<>();
        for (JsonNode f : json.path("features")) {
            features.add(new FeatureSpec(f.path("field").asText(),
                    FeatureType.of(f.path("type").asText()).orElseThrow(() -> new IllegalArgumentException("unknown feature type " + f.path("type")))));
        }
        Map<String, double[]> stats = new TreeMap<>();
        json.path("numeric").fields().forEachRemaining(e -> stats.put(e.getKey(),
                new double[] {e.getValue().path("mean").asDouble(), e.getValue().path("std").asDouble(1)}));
        for (FeatureSpec f : features) {
            if (f.type() == FeatureType.NUMERIC && !stats.containsKey(f.field())) {
                throw new IllegalArgumentException("no statistics for numeric feature " + f.field());
            }
        }
        return new Featurizer(features, stats, json.path("ngrams").asInt(2));
    }
}
