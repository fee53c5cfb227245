package io.dataline.training.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The contract of trainers that run outside this JVM: training leaves exactly one model file named {@code model} or
 * {@code model.<ext>} in the output directory (anything else there, a {@code metrics.json} included, is ignored:
 * Dataline measures every model itself, from its predictions); a predict step leaves {@code predictions.ndjson}; and
 * their command lines or arguments name inputs through {@code {placeholders}}.
 */
public final class ExternalOutputs {

    /** The model file's name. */
    public static final Pattern MODEL_NAME = Pattern.compile("model(\\.[A-Za-z0-9_-]{1,20})?");
    /** The predict step's answer. */
    public static final String PREDICTIONS = "predictions.ndjson";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    private ExternalOutputs() {
    }

    /** Whether a remote trainer may upload a file of this name: the model file or the predictions. */
    public static boolean isUploadName(String name) {
        return PREDICTIONS.equals(name) || MODEL_NAME.matcher(name).matches();
    }

    /**
     * The model file in {@code outDir}. Only regular files count: a symbolic link (to {@code /proc/self/environ}, a
     * key, another run's model) is refused, never followed, and so is an output directory that is itself a link.
     */
    public static TrainerOutput collect(Path outDir) throws TrainingFailedException {
        if (!Files.isDirectory(outDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new TrainingFailedException("the trainer's output directory is missing or not a plain directory");
        }
        List<Path> models;
        try (Stream<Path> files = Files.list(outDir)) {
            List<Path> named = files.filter(f -> MODEL_NAME.matcher(f.getFileName().toString()).matches()).sorted().toList();
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
        return TrainerOutput.external(models.get(0));
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

    /** The placeholders' values as a list, each part of a configured command line or argument list replaced. */
    public static List<String> substituteAll(List<String> parts, Map<String, String> values) {
        return parts.stream().map(part -> substitute(part, values)).toList();
    }

    /**
     * Puts {@code source} at {@code target} for a trainer to read. With {@code mayLink} (a file nothing reads after the
     * trainer: a training split) a hard link when both are on one file system, so a large split is not copied; else a
     * copy, so the trainer can change nothing the orchestrator keeps (a stored model). Links are never followed.
     */
    public static Path place(Path source, Path target, boolean mayLink) throws IOException {
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        if (mayLink) {
            try {
                Files.createLink(target, source);
                return target;
            } catch (IOException | UnsupportedOperationException e) {
                // another file system: copy
            }
        }
        Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
        return target;
    }
}
