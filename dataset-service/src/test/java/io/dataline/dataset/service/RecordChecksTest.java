package io.dataline.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one-walk {@link RecordChecks#clean} says a record is clean exactly when the two detailed checks find nothing. */
class RecordChecksTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"id\":\"a\",\"n\":1,\"d\":0.5,\"big\":9223372036854775807,\"neg\":-9223372036854775808,\"t\":true,\"z\":null}",
        "{\"id\":\"a\",\"over\":9223372036854775808}", "{\"id\":\"a\",\"under\":[1,{\"x\":-9223372036854775809}]}",
        "{\"id\":\"a\",\"inf\":1e400}", "{\"id\":\"a\",\"small\":1e-400,\"e\":12e3}",
        "{\"id\":\"\\ud83d\\ude00 paired\",\"\\ud83d\\ude00\":1}", "{\"id\":\"a\",\"s\":\"\\ud800\"}", "{\"id\":\"a\",\"s\":[\"x\",\"\\udfff\"]}",
        "{\"id\":\"a\",\"\\ud800\":1}", "{\"id\":\"a\",\"deep\":[[[{\"k\":[\"\\udc00x\"]}]]]}", "{\"id\":\"a\",\"s\":\"tail \\ud83d\"}",
        "{\"id\":\"é€ plain\",\"arr\":[1,2.5,\"x\",{\"y\":[]}]}"})
    void shouldBeCleanExactlyWhenTheDetailedChecksFindNothing(String json) throws Exception {
        JsonNode record = MAPPER.readTree(json);
        List<String[]> problems = new ArrayList<>();
        RecordChecks.numbers(record, "", problems);
        RecordChecks.strings(record, "", problems);
        boolean surrogates = json.contains("\\ud8") || json.contains("\\udc") || json.contains("\\udf");
        // a paired surrogate is valid but still sends the record to the detailed checks
        assertThat(RecordChecks.clean(record)).as(json).isEqualTo(problems.isEmpty() && !surrogates);
    }
}
