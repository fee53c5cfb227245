package io.dataline.console.board;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A board row from dataset-service's view of a version's pipeline (the shapes {@code GET …/pipeline} answers). */
class RowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String COMMITTED = """
            {"stage": "committed", "status": "done", "at": "2026-11-29T10:00:00Z",
             "detail": {"message": "relabel", "author": "alice", "branch": "main"}}""";

    static JsonNode lineage(String outcome, String... stages) throws Exception {
        return JSON.readTree("{\"dataset\": \"Feedback\", \"dataVersion\": \"" + "a".repeat(64) + "\", \"complete\": " + (outcome != null)
                + ", \"outcome\": " + (outcome == null ? "null" : "\"" + outcome + "\"") + ", \"branch\": \"main\", \"stages\": ["
                + String.join(",", stages) + "]}");
    }

    static String states(Row row) {
        return String.join(" ", row.steps().stream().map(s -> s.name() + "=" + s.state()).toList());
    }

    @Test
    void shouldShowAPromotedVersionDoneAtEveryStep() throws Exception {
        Row row = Row.of("feedback", lineage("promoted", COMMITTED,
                "{\"stage\": \"validation\", \"status\": \"passed\", \"detail\": {}}",
                "{\"stage\": \"training\", \"status\": \"succeeded\", \"detail\": {\"model\": \"feedback\"}}",
                "{\"stage\": \"registered\", \"status\": \"done\", \"detail\": {\"model\": \"feedback\", \"modelVersion\": 4}}",
                "{\"stage\": \"promotion\", \"status\": \"promoted\", \"detail\": {\"model\": \"feedback\", \"modelVersion\": 4}}"));

        assertThat(states(row)).isEqualTo("committed=done validated=done training=done registered=done promoted=done");
        assertThat(row.outcome()).isEqualTo("promoted");
        assertThat(row.steps().get(3).link()).isEqualTo("/models/feedback/versions/4");
        assertThat(row.steps().get(4).label()).isEqualTo("promoted v4");
        assertThat(row.message()).isEqualTo("relabel");
        assertThat(row.reason()).isNull();
        assertThat(row.reflects("model.promoted")).isTrue();
    }

    @Test
    void shouldShowWhereAFailedVersionStoppedAndWhy() throws Exception {
        Row row = Row.of("feedback", lineage("failed", COMMITTED, """
                {"stage": "validation", "status": "failed", "detail": {"failedChecks": [{"check": "allowedValues", "field": "sentiment"}]}}"""));

        assertThat(states(row)).isEqualTo("committed=done validated=failed training=skipped registered=skipped promoted=skipped");
        assertThat(row.reason()).isEqualTo("failed checks: allowedValues (sentiment)");
        assertThat(row.reasonLink()).isEqualTo("/datasets/feedback/versions/" + "a".repeat(64) + "/validation");
    }

    @Test
    void shouldMarkTheStepInProgressWhileThePipelineRuns() throws Exception {
        Row validated = Row.of("feedback", lineage(null, COMMITTED, "{\"stage\": \"validation\", \"status\": \"passed\", \"detail\": {}}"));
        assertThat(states(validated)).isEqualTo("committed=done validated=done training=active registered=waiting promoted=waiting");
        assertThat(validated.outcome()).isEqualTo("running");
        assertThat(validated.reflects("dataset.validated")).isTrue();
        assertThat(validated.reflects("training.run-started")).isFalse(); // read again until dataset-service has it

        Row training = Row.of("feedback", lineage(null, COMMITTED, "{\"stage\": \"validation\", \"status\": \"passed\", \"detail\": {}}",
                "{\"stage\": \"training\", \"status\": \"running\", \"detail\": {\"model\": \"feedback\"}}"));
        assertThat(training.reflects("training.run-started")).isTrue();
        assertThat(training.reflects("training.run-failed")).isFalse();
    }

    @Test
    void shouldEndAtValidationWhenThePipelineDoesNotTrainAndShowRejectedCandidates() throws Exception {
        Row validatedOnly = Row.of("feedback", lineage("validated", COMMITTED, "{\"stage\": \"validation\", \"status\": \"passed\", \"detail\": {}}"));
        assertThat(states(validatedOnly)).isEqualTo("committed=done validated=done training=skipped registered=skipped promoted=skipped");

        Row candidate = Row.of("feedback", lineage("rejected", COMMITTED, "{\"stage\": \"validation\", \"status\": \"passed\", \"detail\": {}}",
                "{\"stage\": \"training\", \"status\": \"succeeded\", \"detail\": {\"model\": \"feedback\"}}",
                "{\"stage\": \"registered\", \"status\": \"done\", \"detail\": {\"model\": \"feedback\", \"modelVersion\": 5}}",
                "{\"stage\": \"candidate\", \"status\": \"rejected\", \"detail\": {\"reason\": \"accuracy 0.61 < 0.7\"}}"));
        assertThat(candidate.steps().get(4).state()).isEqualTo("failed");
        assertThat(candidate.steps().get(4).label()).isEqualTo("candidate rejected");
        assertThat(candidate.reason()).isEqualTo("accuracy 0.61 < 0.7");
    }
}
