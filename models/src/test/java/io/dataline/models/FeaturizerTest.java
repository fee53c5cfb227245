package io.dataline.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The text featurizer's TF-IDF weights: exactly those of the string-keyed vocabulary models were trained with before
 * it was keyed by word (the reference below), bit for bit. And its words: exactly what splitting on {@code [^\p{L}\p{N}]+} keeps (the rule models were trained
 * with), for ASCII, accented and non-Latin letters, digits of other scripts, other numbers (Roman numerals, fractions),
 * surrogate pairs, lone surrogates and punctuation.
 */
class FeaturizerTest {

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private static List<String> byRegex(String text) {
        return new ArrayList<>(Arrays.stream(NON_WORD.split(text)).filter(w -> !w.isEmpty()).toList());
    }

    @Test
    void shouldSplitWordsAsTheRegularExpressionDid() {
        for (String text : List.of("", " ", "great", "  great service, would buy again!! ", "naïve café — 3½ stars", "x²+y² ⅷ Ⅻ",
                "東京タワー 最高", "مرحبا بالعالم", "٣ أيام", "emoji 😀 in 𝒳𝒴 text", "a\uD800b", "\uDC00tail", "tab\tnew\nline",
                "under_score-and.dots", "ǅemal ʰmod")) {
            assertThat(Featurizer.words(text)).as(text).isEqualTo(byRegex(text));
        }
    }

    @Test
    void shouldSplitRandomTextAsTheRegularExpressionDid() {
        Random random = new Random(17);
        int[] planes = {0x7F, 0x3000, 0xFFFF, 0x2FFFF};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(24);
            int bound = planes[random.nextInt(planes.length)];
            for (int i = 0; i < length; i++) {
                int c = random.nextInt(bound + 1);
                if (Character.isValidCodePoint(c)) {
                    text.appendCodePoint(c);
                }
            }
            String s = text.toString();
            assertThat(Featurizer.words(s)).as("%s", s.codePoints().mapToObj(Integer::toHexString).toList()).isEqualTo(byRegex(s));
        }
    }

    @Test
    void shouldWeighTermsExactlyAsTheStringKeyedVocabularyDid() {
        Random random = new Random(23);
        String[] pool = {"Great", "great", "slow", "app", "the", "crash", "naïve", "café", "東京", "3½", "x²", "login", "again", "😀", "a\uD800b"};
        for (int round = 0; round < 60; round++) {
            int ngrams = 1 + random.nextInt(2);
            int maxVocabulary = random.nextBoolean() ? 50_000 : 1 + random.nextInt(40);
            List<JsonNode> training = texts(random, pool, 1 + random.nextInt(80));
            List<JsonNode> others = texts(random, pool, 40); // words and pairs the training split may never have had
            List<FeatureSpec> features = List.of(new FeatureSpec("text", FeatureType.TEXT), new FeatureSpec("note", FeatureType.TEXT));
            Featurizer featurizer = Featurizer.fit(features, training, ngrams, Featurizer.TFIDF, maxVocabulary);
            Featurizer read = Featurizer.fromJson(featurizer.toJson());
            Map<String, Double> vocabulary = referenceIdf(training, ngrams, maxVocabulary);
            Map<String, Double> written = new TreeMap<>();
            featurizer.toJson().path("idf").path("text").fields().forEachRemaining(term -> written.put(term.getKey(), term.getValue().doubleValue()));
            assertThat(written).isEqualTo(new TreeMap<>(vocabulary)); // the vocabulary the artifact holds, term by term
            assertThat(read.toJson()).isEqualTo(featurizer.toJson());
            for (JsonNode record : concat(training, others)) {
                SortedMap<String, Double> expected = new TreeMap<>(Map.of(Featurizer.BIAS, 1.0));
                if (record.path("text").isTextual()) { // a value that is not text has no terms
                    expected.putAll(referenceWeights(record.path("text").textValue(), vocabulary, ngrams));
                }
                assertThat(featurizer.apply(record)).as("%s (ngrams %d, at most %d terms)", record, ngrams, maxVocabulary).isEqualTo(expected);
                assertThat(read.apply(record)).isEqualTo(expected);
            }
        }
    }

    private static List<JsonNode> texts(Random random, String[] pool, int count) {
        List<JsonNode> records = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(14); i > 0; i--) {
                text.append(pool[random.nextInt(pool.length)]).append(random.nextInt(4) == 0 ? ", " : " ");
            }
            ObjectNode record = Datasets.JSON.createObjectNode().put("text", text.toString());
            if (random.nextInt(5) == 0) {
                record.put("text", 7); // not text: no terms
            }
            records.add(record);
        }
        return records;
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The former terms: "w=word" and "b=word next", with their counts, in order of first appearance. */
    private static Map<String, Integer> referenceTerms(String text, int ngrams) {
        List<String> tokens = byRegex(text.toLowerCase(Locale.ROOT));
        Map<String, Integer> terms = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            terms.merge("w=" + tokens.get(i), 1, Integer::sum);
            if (ngrams >= 2 && i + 1 < tokens.size()) {
                terms.merge("b=" + tokens.get(i) + " " + tokens.get(i + 1), 1, Integer::sum);
            }
        }
        return terms;
    }

    private static Map<String, Double> referenceIdf(List<JsonNode> training, int ngrams, int maxVocabulary) {
        Map<String, Integer> df = new java.util.HashMap<>();
        for (JsonNode record : training) {
            if (record.path("text").isTextual()) {
                referenceTerms(record.path("text").textValue(), ngrams).keySet().forEach(term -> df.merge(term, 1, Integer::sum));
            }
        }
        Map<String, Double> idf = new java.util.HashMap<>();
        double n = training.size();
        df.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(maxVocabulary).forEach(e -> idf.put(e.getKey(), Math.log((1 + n) / (1 + e.getValue())) + 1));
        return idf;
    }

    private static Map<String, Double> referenceWeights(String text, Map<String, Double> vocabulary, int ngrams) {
        Map<String, Double> out = new TreeMap<>();
        List<String> known = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        double norm = 0;
        for (var term : referenceTerms(text, ngrams).entrySet()) {
            Double idf = vocabulary.get(term.getKey());
            if (idf != null) {
                double w = term.getValue() * idf;
                known.add(term.getKey());
                weights.add(w);
                norm += w * w;
            }
        }
        double length = Math.sqrt(norm);
        for (int i = 0; i < known.size(); i++) {
            out.put("text:" + known.get(i), weights.get(i) / length);
        }
        return out;
    }
}
