package io.dataline.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataline.models.ModelPrediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The predict step's answer is read strictly: one valid line per record, nothing more, nothing followed. */
class PredictionsTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("predictions.ndjson"), text);
    }

    @Test
    void shouldReadOneAnswerPerRecordWithOrWithoutScores() throws Exception {
        List<ModelPrediction> read = Predictions.read(file("""
                {"label": "positive", "scores": {"positive": 0.75, "negative": 0.25}}\r
                {"label": "negative"}
                """), 2);

        assertThat(read).containsExactly(new ModelPrediction("positive", Map.of("positive", 0.75, "negative", 0.25)),
                new ModelPrediction("negative", Map.of("negative", 1.0)));
    }

    @Test
    void shouldRefuseTooFewOrTooManyLines() throws Exception {
        assertThatThrownBy(() -> Predictions.read(file("{\"label\": \"a\"}\n"), 2)).hasMessage(
                "predictions.ndjson has 1 lines for 2 records; the predict step must answer every record, in order");
        assertThatThrownBy(() -> Predictions.read(file("{\"label\": \"a\"}\n{\"label\": \"a\"}\n"), 1))
                .hasMessage("predictions.ndjson has more lines than the 1 records it was given");
    }

    @Test
    void shouldNameTheLineAndTheProblem() throws Exception {
        assertThatThrownBy(() -> Predictions.read(file("{\"label\": \"a\"}\nnot json\n"), 2)).hasMessageStartingWith("predictions.ndjson line 2: not JSON");
        assertThatThrownBy(() -> Predictions.read(file("{\"label\": 3}\n"), 1)).hasMessageContaining("line 1: \"label\" must be a non-empty string");
        assertThatThrownBy(() -> Predictions.read(file("\n"), 1)).hasMessageContaining("line 1: must be an object");
        assertThatThrownBy(() -> Predictions.read(file("{\"label\": \"a\", \"scores\": {\"a\": \"high\"}}\n"), 1))
                .hasMessage("predictions.ndjson line 1: scores.a must be a probability between 0 and 1");
        String huge = "{\"label\": \"" + "x".repeat(Predictions.MAX_LINE) + "\"}\n";
        assertThatThrownBy(() -> Predictions.read(file(huge), 1)).hasMessage("predictions.ndjson line 1 is longer than 1048576 bytes");
    }

    @Test
    void shouldNeverFollowALink() throws Exception {
        Path target = Files.writeString(dir.resolve("elsewhere"), "{\"label\": \"a\"}\n");
        Path link = Files.createSymbolicLink(dir.resolve("predictions.ndjson"), target);

        assertThatThrownBy(() -> Predictions.read(link, 1)).hasMessage("predictions.ndjson is a symbolic link; outputs must be regular files");
        assertThatThrownBy(() -> Predictions.read(dir.resolve("missing"), 1)).hasMessage("the predict step wrote no predictions.ndjson");
    }
}
