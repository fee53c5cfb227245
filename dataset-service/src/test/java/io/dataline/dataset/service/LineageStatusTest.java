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
 * times it started.
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

    private static LineageService.StageView stage(String stage, String status, String runId) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        if (runId != null) {
            detail.put("runId", runId);
        }
        return new LineageService.StageView(stage, status, Instant.EPOCH, detail, null);
    }
}
