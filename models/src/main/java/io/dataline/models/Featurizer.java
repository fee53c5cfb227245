package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns a record into named feature values. Text: lower-cased words (letters and digits) and, with {@code ngrams = 2},
 * adjacent word pairs; weighted by TF-IDF ({@code tfidf}: term count × (ln((1 + n) / (1 + df)) + 1) with document
 * frequencies of the training split, the field's vector scaled to unit length; terms the training split never had, or
 * beyond its {@code maxVocabulary} most frequent, are left out) or present/absent ({@code binary}: each present term
 * weighted 1/√n so long and short texts weigh alike; the weighting of models trained before TF-IDF). Numeric: standardized
 * with the mean and standard deviation of the training split only (a missing value becomes the mean, i.e. 0).
 * Categorical: one-hot on the value's text. Features a model never saw in training are ignored by it. A constant
 * {@code dataline:bias} feature keeps every example non-empty.
 */
public final class Featurizer {

    static final String BIAS = "dataline:bias";

    static final String TFIDF = "tfidf";
    static final String BINARY = "binary";
    /** The most terms a record's TF-IDF count map is sized for up front (it grows past them as any map does). */
    private static final int MAX_PRESIZED_TERMS = 3_000;

    private final List<FeatureSpec> features;
    private final Map<String, double[]> numericStats;
    private final int ngrams;
    private final String text;
    /** Each text field's vocabulary (its terms and their IDF), kept by word for TF-IDF's look-ups: see {@link Words}. */
    private final Map<String, Words> lookup;

    private Featurizer(List<FeatureSpec> features, Map<String, double[]> numericStats, int ngrams, String text,
            Map<String, Map<String, Double>> idf) {
        this.features = List.copyOf(features);
        this.numericStats = Map.copyOf(numericStats);
        this.ngrams = ngrams;
        this.text = text;
        Map<String, Words> byField = new java.util.TreeMap<>();
        idf.forEach((field, terms) -> byField.put(field, Words.of(field, terms)));
        this.lookup = byField;
    }

    /**
     * Roughly the heap of its vocabulary: per term its {@link Term}, its feature's name and its hash-map entry (~150
     * bytes + the name's length), per word its String, its {@link Word} and their entry (~150 bytes + its length).
     */
    long approximateHeapBytes() {
        long bytes = 256L * (features.size() + numericStats.size());
        for (Words words : lookup.values()) {
            for (Map.Entry<String, Word> word : words.byWord().entrySet()) {
                bytes += 150 + word.getKey().length();
                for (Term term : word.getValue().terms()) {
                    bytes += 150 + term.name.length();
                }
            }
        }
        return bytes;
    }

    /**
     * A vocabulary term as TF-IDF uses it: its IDF and the name of its feature ({@code field:term}), one String for every
     * record, so neither is built nor hashed again per record (the classifiers and Tribuo look the name up in hash maps).
     * Equal only to itself.
     */
    private static final class Term {
        final String name;
        final double idf;

        Term(String name, double idf) {
            this.name = name;
            this.idf = idf;
        }

        @Override
        public int hashCode() {
            return name.hashCode(); // computed once: String keeps it
        }
    }

    /**
     * A text field's vocabulary keyed by the words themselves: a word's own term ({@code w=word}) and the pairs it
     * starts ({@code b=word next}), so a record's words are looked up as they are split, without building each term's
     * text. A term of another shape (which no text ever gives) is left out, as it would never have been found; the
     * vocabulary written back ({@link #toJson}) is the one kept here.
     */
    private record Words(String field, Map<String, Word> byWord) {

        static Words of(String field, Map<String, Double> terms) {
            Map<String, Word> byWord = new java.util.HashMap<>();
            Map<String, String> strings = new java.util.HashMap<>(); // one String per word, however many pairs it is in
            terms.forEach((term, value) -> {
                Term t = new Term(field + ":" + term, value);
                if (term.startsWith("w=")) {
                    byWord.computeIfAbsent(one(strings, term.substring(2)), w -> new Word()).term = t;
                } else if (term.startsWith("b=")) {
                    int space = term.indexOf(' ', 2);
                    if (space > 2) {
                        byWord.computeIfAbsent(one(strings, term.substring(2, space)), w -> new Word()).pair(one(strings, term.substring(space + 1)), t);
                    }
                }
            });
            return new Words(field, byWord);
        }

        private static String one(Map<String, String> strings, String word) {
            return strings.computeIfAbsent(word, w -> w);
        }

        /** Every term with its IDF, sorted by the term: as the artifact holds them. */
        SortedMap<String, Double> terms() {
            SortedMap<String, Double> terms = new TreeMap<>();
            for (Word word : byWord.values()) {
                for (Term term : word.terms()) {
                    terms.put(term.name.substring(field.length() + 1), term.idf);
                }
            }
            return terms;
        }
    }

    /** In how many documents a word (or a pair it starts) is; the last document counted, so each counts once. */
    private static final class Frequency {
        int documents;
        int last;
        final Map<String, Frequency> pairs = new java.util.HashMap<>(4);

        void seenIn(int document) {
            if (last != document) {
                last = document;
                documents++;
            }
        }
    }

    private static final class Word {
        Term term;
        /** The pairs the word starts, by their second word; no map at all while there is none (n-grams of one word). */
        Map<String, Term> pairs = Map.of();

        void pair(String second, Term pair) {
            if (pairs.isEmpty()) {
                pairs = new java.util.HashMap<>(4);
            }
            pairs.put(second, pair);
        }

        List<Term> terms() {
            List<Term> terms = new ArrayList<>(pairs.values());
            if (term != null) {
                terms.add(term);
            }
            return terms;
        }
    }

    /** Learns the numeric statistics and, for TF-IDF, each text field's vocabulary and IDF from the training records. */
    public static Featurizer fit(List<FeatureSpec> features, java.util.Collection<JsonNode> training, int ngrams, String text, int maxVocabulary) {
        Featurizer terms = new Featurizer(features, Map.of(), ngrams, BINARY, Map.of());
        Map<String, Map<String, Double>> idf = new TreeMap<>();
        if (TFIDF.equals(text)) {
            for (FeatureSpec feature : features) {
                if (feature.type() == FeatureType.TEXT) {
                    idf.put(feature.field(), terms.idf(feature.field(), training, maxVocabulary));
                }
            }
        }
        return new Featurizer(features, numericStats(features, training), ngrams, text, idf);
    }

    private Map<String, Double> idf(String field, java.util.Collection<JsonNode> training, int maxVocabulary) {
        // each term's document frequency, counted by its words (a term's text is built once, not once per record)
        Map<String, Frequency> byWord = new java.util.HashMap<>();
        int document = 0;
        for (JsonNode record : training) {
            JsonNode value = record.get(field);
            if (value != null && value.isTextual()) {
                document++;
                List<String> tokens = words(value.textValue().toLowerCase(Locale.ROOT));
                for (int i = 0; i < tokens.size(); i++) {
                    Frequency word = byWord.computeIfAbsent(tokens.get(i), w -> new Frequency());
                    word.seenIn(document);
                    if (ngrams >= 2 && i + 1 < tokens.size()) {
                        word.pairs.computeIfAbsent(tokens.get(i + 1), w -> new Frequency()).seenIn(document);
                    }
                }
            }
        }
        Map<String, Integer> df = new java.util.HashMap<>();
        byWord.forEach((word, frequency) -> {
            df.put("w=" + word, frequency.documents);
            frequency.pairs.forEach((second, pair) -> df.put("b=" + word + " " + second, pair.documents));
        });
        Map<String, Double> idf = new java.util.HashMap<>();
        double n = training.size();
        df.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(maxVocabulary).forEach(e -> idf.put(e.getKey(), Math.log((1 + n) / (1 + e.getValue())) + 1));
        return idf;
    }

    private static Map<String, double[]> numericStats(List<FeatureSpec> features, Iterable<JsonNode> training) {
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
        return stats;
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
                        if (TFIDF.equals(text)) {
                            tfidf(lookup.get(feature.field()), value.textValue(), out);
                        } else {
                            binary(feature.field(), terms(value.textValue()), out);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void binary(String field, Map<String, Integer> terms, SortedMap<String, Double> out) {
        double weight = terms.isEmpty() ? 0 : 1 / Math.sqrt(terms.size());
        terms.keySet().forEach(term -> out.put(field + ":" + term, weight));
    }

    /**
     * The text's known terms weighted by TF-IDF: the terms {@link #terms} gives, counted in their order of first
     * appearance, those the vocabulary lacks left out, each one's count × IDF scaled by the norm of them all.
     */
    private void tfidf(Words vocabulary, String value, SortedMap<String, Double> out) {
        if (vocabulary == null) {
            return; // no vocabulary for the field: every term unknown
        }
        List<String> tokens = words(value.toLowerCase(Locale.ROOT));
        // sized for every token and pair distinct, so a text of up to ~1,500 words never grows it (growing was ~2 % of
        // training-orchestrator's samples in the throughput suite); bounded, so a very long text does not get a table
        // for terms the vocabulary mostly lacks
        int distinct = Math.min(tokens.size() * (ngrams >= 2 ? 2 : 1), MAX_PRESIZED_TERMS);
        Map<Term, int[]> counts = new LinkedHashMap<>(Math.max(16, (int) (distinct / 0.75f) + 1));
        Word next = tokens.isEmpty() ? null : vocabulary.byWord().get(tokens.get(0));
        for (int i = 0; i < tokens.size(); i++) {
            Word word = next;
            next = i + 1 < tokens.size() ? vocabulary.byWord().get(tokens.get(i + 1)) : null;
            if (word == null) {
                continue; // neither the word nor a pair it starts is known
            }
            count(counts, word.term);
            if (ngrams >= 2 && i + 1 < tokens.size()) {
                count(counts, word.pairs.get(tokens.get(i + 1)));
            }
        }
        // the terms are distinct; their weights go into the sorted features, so only the norm's sum has an order (theirs)
        double norm = 0;
        for (var term : counts.entrySet()) {
            double w = term.getValue()[0] * term.getKey().idf;
            norm += w * w;
        }
        double length = Math.sqrt(norm);
        for (var term : counts.entrySet()) {
            out.put(term.getKey().name, term.getValue()[0] * term.getKey().idf / length);
        }
    }

    private static void count(Map<Term, int[]> counts, Term term) {
        if (term != null) {
            counts.computeIfAbsent(term, t -> new int[1])[0]++;
        }
    }

    /** The text's terms with their counts, in order of first appearance. */
    private Map<String, Integer> terms(String text) {
        List<String> tokens = words(text.toLowerCase(Locale.ROOT));
        Map<String, Integer> terms = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            terms.merge("w=" + tokens.get(i), 1, Integer::sum);
            if (ngrams >= 2 && i + 1 < tokens.size()) {
                terms.merge("b=" + tokens.get(i) + " " + tokens.get(i + 1), 1, Integer::sum);
            }
        }
        return terms;
    }

    /**
     * The runs of letters and digits (Unicode categories L and N, code point by code point) in order: what splitting on
     * {@code [^\p{L}\p{N}]+} keeps, without a regular expression (the split was a sixth of the featurizer's time).
     */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (isWordPart(c)) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                words.add(text.substring(start, i));
                start = -1;
            }
            i += Character.charCount(c);
        }
        if (start >= 0) {
            words.add(text.substring(start));
        }
        return words;
    }

    private static boolean isWordPart(int codePoint) {
        if (codePoint < 0x80) {
            return (codePoint >= 'a' && codePoint <= 'z') || (codePoint >= '0' && codePoint <= '9') || (codePoint >= 'A' && codePoint <= 'Z');
        }
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER, Character.MODIFIER_LETTER,
                    Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
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
        json.put("text", text);
        var list = json.putArray("features");
        features.forEach(f -> list.addObject().put("field", f.field()).put("type", f.type().wireName()));
        ObjectNode stats = json.putObject("numeric");
        numericStats.forEach((field, s) -> stats.putObject(field).put("mean", s[0]).put("std", s[1]));
        if (TFIDF.equals(text)) {
            ObjectNode vocabularies = json.putObject("idf");
            lookup.forEach((field, words) -> {
                ObjectNode vocabulary = vocabularies.putObject(field);
                words.terms().forEach(vocabulary::put); // sorted: the same model writes the same bytes
            });
        }
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
        String text = json.path("text").asText(BINARY);
        if (!TFIDF.equals(text) && !BINARY.equals(text)) {
            throw new IllegalArgumentException("unknown text weighting " + text);
        }
        Map<String, Map<String, Double>> idf = new TreeMap<>();
        json.path("idf").fields().forEachRemaining(field -> {
            Map<String, Double> terms = new java.util.HashMap<>();
            field.getValue().fields().forEachRemaining(term -> terms.put(term.getKey(), term.getValue().asDouble()));
            idf.put(field.getKey(), terms);
        });
        return new Featurizer(features, stats, json.path("ngrams").asInt(2), text, idf);
    }
}
