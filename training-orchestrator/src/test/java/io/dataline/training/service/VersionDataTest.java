package io.dataline.training.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.training.trainer.TrainingFailedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version's split lives in files: records come into memory only on request and only within the limit, so a version
 * larger than the heap fails its built-in training with a message instead of taking the orchestrator down.
 */
class VersionDataTest {

    @TempDir
    Path directory;

    private VersionData split(int training, int heldOut) throws Exception {
        Path train = directory.resolve("train.ndjson");
        Path held = directory.resolve("heldout.ndjson");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < training; i++) {
            lines.append("{\"id\":\"t").append(i).append("\",\"label\":\"a\"}\n");
        }
        Files.writeString(train, lines, StandardCharsets.UTF_8);
        lines.setLength(0);
        for (int i = 0; i < heldOut; i++) {
            lines.append("{\"id\":\"h").append(i).append("\",\"label\":\"b\"}\n");
        }
        Files.writeString(held, lines, StandardCharsets.UTF_8);
        return new VersionData("d", "d", "v", "hash", train, held, training, heldOut, heldOut, false);
    }

    @Test
    void shouldReadASplitIntoMemoryOnlyWithinTheLimit() throws Exception {
        VersionData data = split(120, 30);

        assertThat(data.training(120)).hasSize(120).first().extracting(r -> r.path("id").asText()).isEqualTo("t0");
        List<JsonNode> streamed = new ArrayList<>();
        data.forEachHeldOut(streamed::add);
        assertThat(streamed).hasSize(30);
        assertThatThrownBy(() -> data.training(100)).isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("120 training records of d@v are more than this orchestrator holds in memory")
                .hasMessageContaining("dataline.runs.max-records-in-memory = 100");

        data.delete();
        assertThat(data.trainingFile()).doesNotExist();
        assertThat(data.heldOutFile()).doesNotExist();
    }
}
