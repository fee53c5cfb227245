package io.dataline.dataset.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Covers RFC 8785 canonical JSON: member order, escapes, the ECMAScript number forms, and exact int64 integers. */
class CanonicalJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldSortMembersByUtf16CodeUnitsAndDropWhitespace() throws Exception {
        String json = "{ \"b\": [1, {\"z\": null, \"a\": true}], \"a\": \"x\", \"\\u20ac\": 1, \"\\ud83d\\ude00\": 2, \"\\u0080\": 3 }";

        assertThat(CanonicalJson.string(mapper.readTree(json)))
                .isEqualTo("{\"a\":\"x\",\"b\":[1,{\"a\":true,\"z\":null}],\"\u0080\":3,\"\u20ac\":1,\"\ud83d\ude00\":2}");
    }

    @Test
    void shouldEscapeOnlyWhatRfc8785Requires() throws Exception {
        assertThat(CanonicalJson.string(mapper.readTree("\"\\u0001\\b\\t\\n\\f\\r\\\"\\\\/é€\"")))
                .isEqualTo("\"\\u0001\\b\\t\\n\\f\\r\\\"\\\\/é€\"");
        // plain runs before, between and after escapes, and none at all
        assertThat(CanonicalJson.string(mapper.readTree("\"ab\\\"cd\\\\\\u001fe\\n\""))).isEqualTo("\"ab\\\"cd\\\\\\u001fe\\n\"");
        assertThat(CanonicalJson.string(mapper.readTree("\"plain text, é\""))).isEqualTo("\"plain text, é\"");
    }

    /**
     * Numbers between 10^-3 and 10^7 take a shortcut from Java's plain layout; across a million doubles of every
     * magnitude (and the integers and short decimals records hold) it agrees with the general rule.
     */
    @Test
    void shouldWriteEveryDoubleAsTheGeneralRuleDoes() {
        java.util.Random random = new java.util.Random(8785);
        for (int i = 0; i < 1_000_000; i++) {
            double value = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern: every exponent, subnormals
                case 1 -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(14) - 5); // around the plain layout
                case 2 -> random.nextInt(20_000_000) - 10_000_000; // integers
                default -> Math.round(random.nextDouble() * 1e6) / Math.pow(10, random.nextInt(8)); // short decimals
            };
            if (Double.isFinite(value) && value != 0) {
                assertThat(CanonicalJson.ecmaScript(value)).as("%s", value).isEqualTo(CanonicalJson.ecmaScriptGeneral(value));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0", "-0.0, 0", "1.0, 1", "100, 100", "1e21, 1e+21", "1e20, 100000000000000000000", "123.456, 123.456",
            "0.000001, 0.000001", "0.0000001, 1e-7", "-1.5e-7, -1.5e-7", "4.5, 4.5", "2e-3, 0.002",
            "1.7976931348623157e308, 1.7976931348623157e+308", "5e-324, 5e-324", "333333333.33333329, 333333333.3333333",
            "9007199254740993, 9007199254740993", "9223372036854775807, 9223372036854775807"})
    void shouldWriteNumbersInCanonicalForm(String input, String expected) throws Exception {
        assertThat(CanonicalJson.string(mapper.readTree(input))).isEqualTo(expected);
    }

    /**
     * RFC 8785 vectors for records within I-JSON (the first is the RFC's own example, section 3.2.4), their expected
     * canonical form and SHA-256 computed by the RFC's reference algorithm on Node.js, not by this code: any standard
     * JCS library gives the same bytes, so a record's hash can be checked outside Dataline.
     */
    @Test
    void shouldAgreeWithStandardJcsOnRecordsWithinIJson() throws Exception {
        List<String> lines = new String(getClass().getResourceAsStream("/canonical-json/jcs-vectors.ndjson").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
        for (String line : lines) {
            JsonNode vector = mapper.readTree(line);
            JsonNode input = mapper.readTree(vector.path("input").asText());
            assertThat(CanonicalJson.string(input)).as(vector.path("input").asText()).isEqualTo(vector.path("canonical").asText());
            assertThat(Hash.sha256(CanonicalJson.bytes(input)).hex()).isEqualTo(vector.path("sha256").asText());
        }
    }

    /**
     * Beyond I-JSON, the documented rule: an integer written without fraction or exponent stays exact in int64 (a
     * standard JCS library would round it to a double), any other number is a double, so these two differ.
     */
    @Test
    void shouldKeepIntegersExactInInt64AndReadEveryOtherNumberAsADouble() throws Exception {
        assertThat(CanonicalJson.string(mapper.readTree("9007199254740993"))).isEqualTo("9007199254740993");
        assertThat(CanonicalJson.string(mapper.readTree("9007199254740993.0"))).isEqualTo("9007199254740992");
        assertThat(CanonicalJson.string(mapper.readTree("-9223372036854775808"))).isEqualTo("-9223372036854775808");
        assertThat(CanonicalJson.string(mapper.readTree("9223372036854775808"))).isEqualTo("9223372036854776000");
    }

    @Test
    void shouldRefuseNonFiniteNumbers() {
        assertThatThrownBy(() -> CanonicalJson.ecmaScript(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
