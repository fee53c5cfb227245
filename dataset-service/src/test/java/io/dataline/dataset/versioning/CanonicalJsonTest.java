package io.dataline.dataset.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
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

    @Test
    void shouldRefuseNonFiniteNumbers() {
        assertThatThrownBy(() -> CanonicalJson.ecmaScript(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
