package io.dataline.training.trainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.models.ModelPrediction;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of a model's predict entry point: {@code predictions.ndjson}, one line per input record in input order,
 * {@code {"label": "positive", "scores": {"positive": 0.91, "negative": 0.09}}}. {@code label} is a non-empty string of
 * at most {@value #MAX_LABEL} characters; {@code scores} (optional: without them the predicted label counts with
 * probability 1 for the log loss) maps labels to probabilities in [0, 1], at most {@value #MAX_SCORES} of them. A line
 * may have at most {@value #MAX_LINE} bytes; the file must be a regular file (a link is refused, never followed) with
 * exactly as many lines as records went in. Anything else fails the measurement with the line and the reason.
 */
public final class Predictions {

    static final int MAX_LINE = 1 << 20;
    static final int MAX_LABEL = 1000;
    static final int MAX_SCORES = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Predictions() {
    }

    public static List<ModelPrediction> read(Path file, long expected) throws TrainingFailedException {
        if (Files.isSymbolicLink(file)) {
            throw new TrainingFailedException("predictions.ndjson is a symbolic link; outputs must be regular files");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new TrainingFailedException("the predict step wrote no predictions.ndjson");
        }
        List<ModelPrediction> predictions = new ArrayList<>((int) Math.min(expected, 1 << 20));
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), 1 << 16)) {
            for (byte[] line = line(in, predictions.size() + 1); line != null; line = line(in, predictions.size() + 1)) {
                if (predictions.size() == expected) {
                    throw new TrainingFailedException("predictions.ndjson has more lines than the " + expected + " records it was given");
                }
                predictions.add(parse(line, predictions.size() + 1));
            }
        } catch (IOException e) {
            throw new TrainingFailedException("reading predictions.ndjson failed: " + e.getMessage(), e);
        }
        if (predictions.size() != expected) {
            throw new TrainingFailedException("predictions.ndjson has " + predictions.size() + " lines for " + expected + " records; "
                    + "the predict step must answer every record, in order");
        }
        return predictions;
    }

    /** The next line without its end, or null at the end of the file. */
    private static byte[] line(InputStream in, long number) throws IOException, TrainingFailedException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            if (line.size() == MAX_LINE) {
                throw new TrainingFailedException("predictions.ndjson line " + number + " is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
            b = in.read();
        }
        return line.toByteArray();
    }

    private static ModelPrediction parse(byte[] bytes, long number) throws TrainingFailedException {
        String at = "predictions.ndjson line " + number + ": ";
        JsonNode line;
        try {
            line = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new TrainingFailedException(at + "not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (line == null || !line.isObject()) {
            throw new TrainingFailedException(at + "must be an object {\"label\": ..., \"scores\": {...}}");
        }
        JsonNode label = line.get("label");
        if (label == null || !label.isTextual() || label.textValue().isEmpty() || label.textValue().length() > MAX_LABEL) {
            throw new TrainingFailedException(at + "\"label\" must be a non-empty string of at most " + MAX_LABEL + " characters");
        }
        JsonNode scores = line.get("scores");
        Map<String, Double> probabilities = new LinkedHashMap<>();
        if (scores == null || scores.isNull()) {
            probabilities.put(label.textValue(), 1.0);
        } else if (!scores.isObject() || scores.size() > MAX_SCORES) {
            throw new TrainingFailedException(at + "\"scores\" must be an object of at most " + MAX_SCORES + " label probabilities");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> entries = scores.fields(); entries.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = entries.next();
                double p = entry.getValue().isNumber() ? entry.getValue().doubleValue() : Double.NaN;
                if (!(p >= 0 && p <= 1)) {
                    throw new TrainingFailedException(at + "scores." + entry.getKey() + " must be a probability between 0 and 1");
                }
                probabilities.put(entry.getKey(), p);
            }
        }
        return new ModelPrediction(label.textValue(), probabilities);
    }
}
