package io.dataline.training.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.models.InvalidMetricsException;
import io.dataline.models.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The contract of trainers that run outside this JVM: they write {@code metrics.json} (the exact metric keys, measured
 * on the held-out split) and exactly one model file named {@code model} or {@code model.<ext>} into the output
 * directory; and their command lines or arguments name inputs through {@code {placeholders}}.
 */
public final class ExternalOutputs {

    /** Names a remote trainer may upload: the metrics and one model file. */
    public static final Pattern OUTPUT_NAME = Pattern.compile("metrics\\.json|model(\\.[A-Za-z0-9_-]{1,20})?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_METRICS_BYTES = 1 << 20;

    private ExternalOutputs() {
    }

    /**
     * The metrics and the model file in {@code outDir}. Only regular files count: a symbolic link (to
     * {@code /proc/self/environ}, a key, another run's model) is refused, never followed, and so is an output directory
     * that is itself a link. {@code metrics.json} may have at most {@value #MAX_METRICS_BYTES} bytes.
     */
    public static TrainerOutput collect(Path outDir) throws TrainingFailedException {
        if (!Files.isDirectory(outDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new TrainingFailedException("the trainer's output directory is missing or not a plain directory");
        }
        Path metricsFile = outDir.resolve("metrics.json");
        if (Files.isSymbolicLink(metricsFile)) {
            throw new TrainingFailedException("metrics.json is a symbolic link; outputs must be regular files");
        }
        if (!Files.isRegularFile(metricsFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new TrainingFailedException("the trainer wrote no metrics.json");
        }
        Metrics metrics;
        try (java.io.InputStream in = Files.newInputStream(metricsFile, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_METRICS_BYTES + 1);
            if (bytes.length > MAX_METRICS_BYTES) {
                throw new TrainingFailedException("metrics.json is larger than " + MAX_METRICS_BYTES + " bytes");
            }
            JsonNode json = JSON.readTree(bytes);
            metrics = Metrics.fromJson(json);
        } catch (IOException e) {
            throw new TrainingFailedException("metrics.json is not JSON: " + e.getMessage(), e);
        } catch (InvalidMetricsException e) {
            throw new TrainingFailedException("metrics.json is malformed: " + e.getMessage(), e);
        }
        List<Path> models;
        try (Stream<Path> files = Files.list(outDir)) {
            List<Path> named = files.filter(f -> !f.getFileName().toString().equals("metrics.json")
                    && OUTPUT_NAME.matcher(f.getFileName().toString()).matches()).sorted().toList();
            List<Path> links = named.stream().filter(Files::isSymbolicLink).toList();
            if (!links.isEmpty()) {
                throw new TrainingFailedException("the trainer's " + links.get(0).getFileName() + " is a symbolic link; outputs must be regular files");
            }
            models = named.stream().filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException e) {
            throw new TrainingFailedException("reading the trainer's output failed: " + e.getMessage(), e);
        }
        if (models.size() != 1) {
            throw new TrainingFailedException(models.isEmpty() ? "the trainer wrote no model file (model or model.<ext>)"
                    : "the trainer wrote " + models.size() + " model files, expected one: " + models.stream().map(p -> p.getFileName().toString()).toList());
        }
        return TrainerOutput.external(models.get(0), metrics);
    }

    /** Replaces each {@code {name}} by its value; an unknown placeholder is a configuration error. */
    public static String substitute(String template, Map<String, String> values) {
        var matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown placeholder {" + matcher.group(1) + "} (known: " + values.keySet().stream().sorted().toList() + ")");
            }
            matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
