package io.dataline.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Covers the final status of a training stage in the lineage view (plain JUnit): a run that started shows
 * {@code succeeded} once its model was registered and {@code failed} once it failed, matched by run id; a run with
 * neither is still {@code running}, and another run's end changes nothing; each run is one stage, however many
 * times it started. A decision on a model ends the pipeline only with that model's registration recorded.
 */
class LineageStatusTest {

    @Test
    void shouldShowEachTrainingRunsFinalStatus() {
        List<LineageService.StageView> settled = LineageService.settled(List.of(
                stage("committed", "done", null),
                stage("training", "running", "run-ok"),
                stage("training", "running", "run-bad"),
                stage("training", "running", "run-still"),
                stage("registered", "done", "run-ok"),
                stage("training", "failed", "run-bad")));

        assertThat(settled).extracting(s -> s.stage() + ":" + s.status())
                .containsExactly("committed:done", "training:succeeded", "training:failed", "training:running", "registered:done");
    }

    @Test
    void shouldShowARunStartedAgainAfterARestartAsOneStage() {
        List<LineageService.StageView> settled = LineageService.settled(List.of(
                stage("committed", "done", null),
                stage("training", "running", "run-1"),
                stage("training", "running", "run-1"), // attempt 2, after the orchestrator was killed
                stage("training", "failed", "run-1")));

        assertThat(settled).extracting(s -> s.stage() + ":" + s.status()).containsExactly("committed:done", "training:failed");
    }

    /**
     * model.promoted and model.registered are different topics, so the promotion can be recorded first: until the
     * registration of the version it promoted is recorded too, the pipeline is not over (nor are a pull request's checks).
     */
    @Test
    void shouldEndThePipelineAtADecisionOnlyOnceItsModelsRegistrationIsRecorded() {
        LineageService.StageView promoted = decision("promotion", "promoted", "m", 2);
        LineageService.StageView passed = decision("candidate", "passed", "m", 3);
        List<LineageService.StageView> before = List.of(stage("committed", "done", null), stage("validation", "passed", null),
                stage("training", "running", "run-2"));

        assertThat(LineageService.outcome(List.of(before.get(0), before.get(1), before.get(2), promoted), () -> true)).isNull();
        assertThat(LineageService.outcome(List.of(before.get(0), before.get(1), before.get(2), registration("m", 1), promoted), () -> true))
                .as("another version's registration").isNull();
        assertThat(LineageService.outcome(List.of(before.get(0), before.get(1), before.get(2), promoted, registration("m", 2)), () -> true))
                .isEqualTo("promoted");
        assertThat(LineageService.outcome(List.of(before.get(0), before.get(1), passed), () -> true)).isNull();
        assertThat(LineageService.outcome(List.of(before.get(0), before.get(1), registration("m", 3), passed), () -> true)).isEqualTo("passed");
        assertThat(LineageService.outcome(List.of(before.get(0), before.get(1), decision("promotion", "rejected", "m", 4),
                registration("m", 4)), () -> true)).isEqualTo("rejected");
    }

    private static LineageService.StageView decision(String stage, String status, String model, int version) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode().put("model", model).put("modelVersion", version);
        return new LineageService.StageView(stage, status, Instant.EPOCH, detail, null);
    }

    private static LineageService.StageView registration(String model, int version) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode().put("runId", "run-" + version).put("model", model).put("modelVersion", version);
        return new LineageService.StageView("registered", "done", Instant.EPOCH, detail, null);
    }

    private static LineageService.StageView stage(String stage, String status, String runId) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        if (runId != null) {
            detail.put("runId", runId);
        }
        return new LineageService.StageView(stage, status, Instant.EPOCH, detail, null);
    }
}
