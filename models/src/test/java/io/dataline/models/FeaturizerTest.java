package io.dataline.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The text featurizer's words: exactly what splitting on {@code [^\p{L}\p{N}]+} keeps (the rule models were trained
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
}
