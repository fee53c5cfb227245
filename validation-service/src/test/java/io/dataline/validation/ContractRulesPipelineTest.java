package io.dataline.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.FailedCheck;
import io.dataline.events.Topics;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Covers every rule of the data contract through the whole path (real dataset-service, broker, database): one
 * dataset declares all the rules; a first version that keeps every one is announced validated, a second version that
 * breaks every one is announced failed with each broken rule, its measured value and its offending keys. (The schema
 * re-check cannot be broken through dataset-service, which validates records on arrival; ContractCheckerTest covers
 * it.)
 */
@QuarkusTest
class ContractRulesPipelineTest {

    @Inject
    TopicClient topics;

    @Test
    void shouldPassEveryRuleThenFailEveryRule() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("sentiment", Map.of("allowedValues", List.of("positive", "negative"), "maxNullFraction", 0.1));
        fields.put("feedback", Map.of("minLength", 3, "maxLength", 30, "pattern", "^[A-Z]"));
        fields.put("score", Map.of("min", 0, "max", 1));
        Map<String, Object> rules = new LinkedHashMap<>();
        rules.put("minRecords", 10);
        rules.put("maxRecordCountChange", 0.5);
        rules.put("fields", fields);
        rules.put("uniqueBy", List.of(List.of("feedback", "category")));
        rules.put("conflictingLabels", Map.of("textField", "feedback", "labelField", "sentiment"));
        rules.put("drift", List.of(Map.of("field", "sentiment", "maxLInfinity", 0.2, "maxJensenShannon", 0.05),
                Map.of("field", "score", "maxPsi", 0.2)));
        String name = DatasetServiceApi.uniqueName("All Rules");
        DatasetServiceApi.create(name, rules);

        List<Map<String, Object>> good = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            good.add(record("g" + i, "Feedback " + i, i % 2 == 0 ? "positive" : "negative", "c" + i, (i % 10) / 10.0));
        }
        String first = DatasetServiceApi.commit(name, good, null);
        DatasetValidatedEvent validated = EventJson.mapper().readValue(
                topics.read(Topics.DATASET_VALIDATED, 1, r -> name.equals(r.key()), Duration.ofSeconds(60)).get(0).value(),
                DatasetValidatedEvent.class);
        assertThat(validated.dataVersion()).isEqualTo(first);
        assertThat(validated.drift()).extracting(d -> d.lInfinity()).containsOnlyNulls(); // first version: not applicable

        List<Map<String, Object>> bad = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bad.add(record("g" + i, "Feedback " + i, "positive", "c" + i, 0.95)); // labels and scores drift
        }
        bad.add(record("x1", "no capital letter", "positive", "c", 0.5));                 // pattern
        bad.add(record("x2", "Hi", "angry", "c", 0.5));                                   // minLength, allowedValues
        bad.add(record("x3", "A feedback text far longer than thirty", "negative", "c", 2)); // maxLength, max
        bad.add(record("x4", "Feedback 1", "negative", "c1", -1));                        // uniqueBy, conflictingLabels, min
        Map<String, Object> missingLabel = record("x5", "Feedback x5", null, "c", 0.5);
        bad.add(missingLabel);
        for (int i = 0; i < 8; i++) {
            bad.add(record("n" + i, "Null label " + i, null, "n" + i, 0.5));             // maxNullFraction, maxRecordCountChange
        }
        String second = DatasetServiceApi.commit(name, bad, null);

        DatasetValidationFailedEvent failed = EventJson.mapper().readValue(
                topics.read(Topics.DATASET_VALIDATION_FAILED, 1, r -> name.equals(r.key()), Duration.ofSeconds(60)).get(0).value(),
                DatasetValidationFailedEvent.class);
        assertThat(failed.dataVersion()).isEqualTo(second);
        assertThat(failed.failedChecks()).extracting(c -> c.check() + ":" + c.field()).containsExactlyInAnyOrder(
                "maxRecordCountChange:null", "maxNullFraction:sentiment", "allowedValues:sentiment", "minLength:feedback",
                "maxLength:feedback", "pattern:feedback", "min:score", "max:score", "uniqueBy:feedback,category",
                "conflictingLabels:feedback", "maxLInfinity:sentiment", "maxJensenShannon:sentiment", "maxPsi:score");
        assertThat(check(failed, "allowedValues").offendingKeys()).containsExactly("x2");
        assertThat(check(failed, "pattern").offendingKeys()).containsExactly("x1");
        assertThat(check(failed, "max").offendingKeys()).containsExactly("x3");
        assertThat(check(failed, "min").offendingKeys()).containsExactly("x4");
        assertThat(check(failed, "uniqueBy").offendingKeys()).containsExactly("x4");
        assertThat(check(failed, "conflictingLabels").offendingKeys()).containsExactly("x4");
        assertThat(check(failed, "maxNullFraction").offendingKeys()).containsExactly("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "x5");
        assertThat(check(failed, "maxRecordCountChange").value().asDouble()).isEqualTo(0.65);
        assertThat(failed.drift()).extracting(d -> d.field()).containsExactly("sentiment", "score");
        assertThat(failed.drift().get(1).psi()).isPositive();
    }

    private static FailedCheck check(DatasetValidationFailedEvent event, String name) {
        return event.failedChecks().stream().filter(c -> c.check().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, Object> record(String id, String feedback, String sentiment, String category, double score) {
        Map<String, Object> record = DatasetServiceApi.record(id, feedback, sentiment);
        if (sentiment == null) {
            record.remove("sentiment");
        }
        record.put("category", category);
        record.put("score", score);
        return record;
    }
}
