package io.dataline.validation.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Covers every rule of the data contract passing and failing, with offending keys: schema re-check, minRecords,
 * maxRecordCountChange, per-field null fraction, allowed values, numeric and length bounds, pattern, uniqueBy,
 * conflicting labels (after normalization), and drift (always scored; not applicable without a parent). Also the
 * rules' own validation.
 */
class ContractCheckerTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldPassAVersionThatKeepsItsContract() throws Exception {
        ValidationRules rules = rules("""
                {"minRecords": 3, "fields": {"sentiment": {"allowedValues": ["positive", "negative"], "maxNullFraction": 0},
                 "feedback": {"minLength": 2, "maxLength": 40, "pattern": "^[A-Z]"}, "score": {"min": 0, "max": 1}},
                 "uniqueBy": [["feedback", "category"]], "conflictingLabels": {"textField": "feedback", "labelField": "sentiment"}}""");
        ContractChecker checker = new ContractChecker(rules, r -> List.of());
        checker.accept("a", json("{\"feedback\": \"Great UI\", \"sentiment\": \"positive\", \"category\": \"UI\", \"score\": 0.9}"));
        checker.accept("b", json("{\"feedback\": \"Broken login\", \"sentiment\": \"negative\", \"category\": \"Auth\", \"score\": 0}"));
        checker.accept("c", json("{\"feedback\": \"Great UI\", \"sentiment\": \"positive\", \"category\": \"Other\", \"score\": 1}"));

        ContractChecker.Outcome outcome = checker.finish(Optional.empty());

        assertThat(outcome.failed()).isEmpty();
        assertThat(outcome.checks()).extracting(CheckResult::check).containsExactly("schema", "minRecords", "maxNullFraction",
                "allowedValues", "minLength", "maxLength", "pattern", "min", "max", "uniqueBy", "conflictingLabels");
    }

    @Test
    void shouldCountTheRecordsWithoutAValueInEveryColumn() throws Exception {
        ContractChecker checker = new ContractChecker(rules("{\"fields\": {\"sentiment\": {\"maxNullFraction\": 0.5}}}"), r -> List.of(),
                List.of("feedback", "sentiment", "score"));
        checker.accept("a", json("{\"feedback\": \"Fine\", \"sentiment\": null, \"score\": 1}"));
        checker.accept("b", json("{\"sentiment\": \"positive\"}"));
        checker.accept("c", json("{\"feedback\": null}"));

        ContractChecker.Outcome outcome = checker.finish(Optional.empty());

        assertThat(outcome.nullCounts()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("feedback", 2L, "sentiment", 2L, "score", 2L));
    }

    @Test
    void shouldFailEachBrokenRuleNamingTheOffendingRecords() throws Exception {
        ValidationRules rules = rules("""
                {"minRecords": 10, "fields": {"sentiment": {"allowedValues": ["positive", "negative"], "maxNullFraction": 0.2},
                 "feedback": {"minLength": 3, "maxLength": 12, "pattern": "^[A-Z]"}, "score": {"min": 0, "max": 1}},
                 "uniqueBy": [["feedback"]], "conflictingLabels": {"textField": "feedback", "labelField": "sentiment"}}""");
        ContractChecker checker = new ContractChecker(rules, r -> r.has("extra") ? List.of("/extra: not allowed") : List.of());
        checker.accept("k1", json("{\"feedback\": \"The  UI\", \"sentiment\": \"positive\", \"score\": 0.5}"));
        checker.accept("k2", json("{\"feedback\": \" the ui \", \"sentiment\": \"negative\", \"score\": 1.5}"));
        checker.accept("k3", json("{\"feedback\": \"ok\", \"sentiment\": \"angry\", \"score\": \"high\", \"extra\": 1}"));
        checker.accept("k4", json("{\"feedback\": \"The UI\", \"sentiment\": null, \"score\": -1}"));
        checker.accept("k5", json("{\"feedback\": \"A very long feedback text\"}"));

        ContractChecker.Outcome outcome = checker.finish(Optional.empty());

        assertThat(outcome.passed()).isFalse();
        assertThat(failed(outcome, "schema", null).offendingKeys()).containsExactly("k3");
        assertThat(failed(outcome, "minRecords", null).value().asLong()).isEqualTo(5);
        CheckResult nulls = failed(outcome, "maxNullFraction", "sentiment");
        assertThat(nulls.value().asDouble()).isEqualTo(0.4);
        assertThat(nulls.offendingKeys()).containsExactly("k4", "k5");
        assertThat(failed(outcome, "allowedValues", "sentiment").offendingKeys()).containsExactly("k3");
        assertThat(failed(outcome, "minLength", "feedback").offendingKeys()).containsExactly("k3");
        assertThat(failed(outcome, "maxLength", "feedback").offendingKeys()).containsExactly("k5");
        assertThat(failed(outcome, "pattern", "feedback").offendingKeys()).containsExactly("k2", "k3");
        assertThat(failed(outcome, "min", "score").offendingKeys()).containsExactly("k3", "k4");
        assertThat(failed(outcome, "max", "score").offendingKeys()).containsExactly("k2", "k3");
        assertThat(outcome.checks()).filteredOn(c -> c.check().equals("uniqueBy")).singleElement()
                .satisfies(c -> assertThat(c.passed()).isTrue()); // the raw texts all differ
        assertThat(failed(outcome, "minLength", "feedback").threshold().toString()).isEqualTo("3");
        CheckResult conflicting = failed(outcome, "conflictingLabels", "feedback");
        assertThat(conflicting.offendingKeys()).containsExactly("k2"); // "The  UI" and " the ui " normalize alike
    }

    @Test
    void shouldFindDuplicatesAcrossSeveralFields() throws Exception {
        ContractChecker checker = new ContractChecker(rules("{\"uniqueBy\": [[\"a\", \"b\"]]}"), r -> List.of());
        checker.accept("1", json("{\"a\": 1, \"b\": \"x\"}"));
        checker.accept("2", json("{\"a\": 1, \"b\": \"y\"}"));
        checker.accept("3", json("{\"a\": 1, \"b\": \"x\"}"));

        assertThat(failed(checker.finish(Optional.empty()), "uniqueBy", "a,b").offendingKeys()).containsExactly("3");
    }

    @Test
    void shouldScoreDriftAlwaysAndFailOnlyPastAThreshold() throws Exception {
        ValidationRules rules = rules("""
                {"maxRecordCountChange": 0.5, "drift": [{"field": "sentiment", "maxLInfinity": 0.2},
                 {"field": "sentiment2", "maxJensenShannon": 0.5}, {"field": "score"}]}""");
        ParentProfile parent = new ParentProfile(rules.drift());
        ContractChecker checker = new ContractChecker(rules, r -> List.of());
        for (int i = 0; i < 100; i++) {
            parent.accept(json("{\"sentiment\": \"" + (i < 50 ? "positive" : "negative") + "\", \"sentiment2\": \"x\", \"score\": " + (i + 1) + "}"));
        }
        for (int i = 0; i < 100; i++) {
            checker.accept("r" + i, json("{\"sentiment\": \"" + (i < 80 ? "positive" : "negative") + "\", \"sentiment2\": \"x\", \"score\": "
                    + (i < 50 ? 5 : 95) + "}"));
        }

        ContractChecker.Outcome outcome = checker.finish(Optional.of(parent));

        assertThat(outcome.drift()).hasSize(3);
        DriftResult labels = outcome.drift().get(0);
        assertThat(labels.kind()).isEqualTo("categorical");
        assertThat(labels.lInfinity()).isCloseTo(0.3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(labels.jensenShannon()).isCloseTo(0.07310400793180985, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(failed(outcome, "maxLInfinity", "sentiment").value().asDouble()).isCloseTo(0.3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(outcome.drift().get(1).jensenShannon()).isZero();
        assertThat(outcome.drift().get(2).kind()).isEqualTo("numeric");
        assertThat(outcome.drift().get(2).psi()).isCloseTo(6.808228348909806, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(outcome.checks()).filteredOn(c -> c.check().equals("maxRecordCountChange")).singleElement()
                .satisfies(c -> assertThat(c.passed()).isTrue());
        assertThat(outcome.failed()).extracting(CheckResult::check).containsExactly("maxLInfinity");
        // what was compared, for people: each category's share before and now; the parent's decile bins for a number
        assertThat(labels.distribution().bins()).containsExactly("positive", "negative");
        assertThat(labels.distribution().base()).containsExactly(0.5, 0.5);
        assertThat(labels.distribution().current()).containsExactly(0.8, 0.2);
        DriftResult.Distribution scores = outcome.drift().get(2).distribution();
        assertThat(scores.bins()).hasSize(10).startsWith("≤ 10", "(10, 20]").endsWith("> 90");
        assertThat(scores.base()).allSatisfy(share -> assertThat(share).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-12)));
        assertThat(scores.current()).containsExactly(0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5);
    }

    @Test
    void shouldKeepTheLargestCategoriesOneByOneAndTheRestTogether() {
        java.util.Map<String, Long> now = new java.util.HashMap<>();
        java.util.Map<String, Long> before = new java.util.HashMap<>();
        for (int i = 0; i < 40; i++) {
            now.put("c" + i, (long) (40 - i));
            before.put("c" + i, 1L);
        }
        DriftResult.Distribution distribution = DriftResult.Distribution.categorical(now, before);
        assertThat(distribution.bins()).hasSize(DriftResult.MAX_SHOWN + 1).startsWith("c0", "c1").endsWith(DriftResult.OTHER);
        assertThat(distribution.base().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(distribution.current().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void shouldFailADriftCheckWhoseScoreCannotBeComputedAndRunEveryThresholdSet() throws Exception {
        ValidationRules rules = rules("""
                {"drift": [{"field": "price", "maxPsi": 0.5}, {"field": "rating", "maxPsi": 0.5},
                 {"field": "score", "maxPsi": 10, "maxLInfinity": 0.01}]}""");
        ParentProfile parent = new ParentProfile(rules.drift());
        ContractChecker checker = new ContractChecker(rules, r -> List.of());
        for (int i = 0; i < 100; i++) {
            parent.accept(json("{\"price\": \"" + i + ".50\", \"rating\": " + (i % 5) + ", \"score\": " + (i % 10) + "}"));
            checker.accept("r" + i, json("{\"price\": \"" + i + ".50\", \"rating\": null, \"score\": " + (i % 10 == 0 ? 5 : i % 10) + "}"));
        }

        ContractChecker.Outcome outcome = checker.finish(Optional.of(parent));

        assertThat(failed(outcome, "maxPsi", "price").note()).contains("not JSON numbers");
        assertThat(failed(outcome, "maxPsi", "rating").note()).contains("this version has no values");
        assertThat(outcome.checks()).filteredOn(c -> "score".equals(c.field())).extracting(CheckResult::check, CheckResult::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("maxLInfinity", false), org.assertj.core.groups.Tuple.tuple("maxPsi", true));
        assertThat(outcome.drift().get(2).lInfinity()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(outcome.passed()).isFalse();
    }

    @Test
    void shouldBoundWhatADriftFieldKeeps() throws Exception {
        ValidationRules rules = rules("{\"drift\": [{\"field\": \"comment\", \"maxLInfinity\": 0.5}, {\"field\": \"score\"}]}");
        ParentProfile parent = new ParentProfile(rules.drift());
        ContractChecker checker = new ContractChecker(rules, r -> List.of());
        for (int i = 0; i < 250_000; i++) {
            JsonNode record = json("{\"comment\": \"c" + i + "\", \"score\": " + (i % 1000) + "}");
            parent.accept(record);
            checker.accept("r" + i, record);
        }

        ContractChecker.Outcome outcome = checker.finish(Optional.of(parent));

        assertThat(parent.fields.get("comment").categories).hasSize(ParentProfile.MAX_CATEGORIES);
        assertThat(parent.fields.get("score").numbers()).hasSize(ParentProfile.MAX_NUMBERS);
        assertThat(failed(outcome, "maxLInfinity", "comment").note()).contains("more than 10000 distinct values");
        assertThat(outcome.drift().get(1).psi()).isCloseTo(0.0, org.assertj.core.api.Assertions.within(0.01));
    }

    @Test
    void shouldReportDriftAsNotApplicableForAFirstVersion() throws Exception {
        ValidationRules rules = rules("{\"maxRecordCountChange\": 0.1, \"drift\": [{\"field\": \"sentiment\", \"maxLInfinity\": 0.0}]}");
        ContractChecker checker = new ContractChecker(rules, r -> List.of());
        checker.accept("a", json("{\"sentiment\": \"positive\"}"));

        ContractChecker.Outcome outcome = checker.finish(Optional.empty());

        assertThat(outcome.passed()).isTrue();
        assertThat(outcome.drift()).singleElement().satisfies(d -> {
            assertThat(d.lInfinity()).isNull();
            assertThat(d.jensenShannon()).isNull();
        });
        assertThat(outcome.checks()).filteredOn(c -> c.note() != null).extracting(CheckResult::note)
                .containsExactly("not applicable: no parent version", "not applicable: no parent version");
    }

    @Test
    void shouldApplyDefaultsWhenNothingIsDeclared() {
        ContractChecker checker = new ContractChecker(ValidationRules.DEFAULTS, r -> List.of());

        ContractChecker.Outcome outcome = checker.finish(Optional.empty());

        assertThat(outcome.failed()).extracting(CheckResult::check).containsExactly("minRecords");
    }

    @Test
    void shouldRejectMalformedRules() throws Exception {
        List<String[]> problems = new ArrayList<>();
        ValidationRules.parse(json("""
                {"minRecords": -1, "surprise": 1, "fields": {"x": {"pattern": "(", "maxNullFraction": 2, "nope": 1}},
                 "uniqueBy": [[]], "conflictingLabels": {"textField": "t"}, "drift": [{"maxPsi": -1}]}"""), problems);

        assertThat(problems).extracting(p -> p[0]).containsExactlyInAnyOrder("/validation/surprise", "/validation/minRecords",
                "/validation/fields/x/nope", "/validation/fields/x/pattern", "/validation/fields/x/maxNullFraction",
                "/validation/uniqueBy/0", "/validation/conflictingLabels", "/validation/drift/0/field");
    }

    /** {@code ^(a+)+$} backtracks exponentially in java.util.regex on "aaa…!"; the contract's engine scans it once. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed check
    void shouldCheckACatastrophicPatternInLinearTime() throws Exception {
        ValidationRules rules = rules("{\"fields\": {\"feedback\": {\"pattern\": \"^(a+)+$\"}}}");
        ContractChecker checker = new ContractChecker(rules, r -> List.of());
        checker.accept("evil", json("{\"feedback\": \"" + "a".repeat(100_000) + "!\"}"));
        checker.accept("fine", json("{\"feedback\": \"aaaa\"}"));

        ContractChecker.Outcome outcome = checker.finish(Optional.empty());

        assertThat(failed(outcome, "pattern", "feedback").offendingKeys()).containsExactly("evil");
    }

    @Test
    void shouldRefuseRulePatternsThatCannotRunInLinearTime() throws Exception {
        for (String pattern : List.of("^(a)\\\\1$", "(?<=a)b", "x".repeat(1_001))) {
            List<String[]> problems = new ArrayList<>();
            ValidationRules.parse(json("{\"fields\": {\"x\": {\"pattern\": \"" + pattern + "\"}}}"), problems);
            assertThat(problems).as(pattern).extracting(p -> p[0]).containsExactly("/validation/fields/x/pattern");
        }
    }

    private static CheckResult failed(ContractChecker.Outcome outcome, String check, String field) {
        return outcome.checks().stream().filter(c -> c.check().equals(check) && java.util.Objects.equals(c.field(), field))
                .filter(c -> !c.passed()).findFirst()
                .orElseThrow(() -> new AssertionError("no failed " + check + " on " + field + " in " + outcome.checks()));
    }

    private ValidationRules rules(String json) throws Exception {
        List<String[]> problems = new ArrayList<>();
        ValidationRules rules = ValidationRules.parse(json(json), problems);
        assertThat(problems).as("rule problems").isEmpty();
        return rules;
    }

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }
}
