package io.dataline.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.events.EventJson;
import io.dataline.models.HoldoutSplit;
import io.dataline.models.Labels;
import io.dataline.models.TrainingSpec;
import io.dataline.service.DataIntegrityException;
import io.dataline.service.DatasetServiceClient;
import io.dataline.service.DatasetServiceUnavailableException;
import io.dataline.training.trainer.TrainingFailedException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A dataset version's records, read from dataset-service in key order (count and data hash checked by the client) and
 * split by {@link HoldoutSplit} on the dataset's primary key into two NDJSON files on disk ({@code train.ndjson},
 * {@code heldout.ndjson} in the given directory), one record in memory at a time: the same version and spec always
 * give the same two files. Whoever needs records in memory (the built-in trainer, held-out evaluation) reads them
 * back within a limit ({@code dataline.runs.max-records-in-memory}); external trainers get the files. {@code readAhead}:
 * the records came from {@link VersionPrefetch}, read (a small version, whole) while the run waited.
 */
public record VersionData(String dataset, String datasetSlug, String dataVersion, String dataHash, Path trainingFile, Path heldOutFile,
        long trainingCount, long heldOutCount, long labelledHeldOut, boolean readAhead) {

    private static final ObjectMapper JSON = EventJson.mapper();

    /**
     * Reads the version by what {@code dataset.validated} announced of it when it did ({@link DatasetServiceClient#announce}),
     * else by its view; should the records not match what was announced (count or data hash), by its own view once more.
     */
    public static VersionData load(DatasetServiceClient datasets, String datasetSlug, String dataVersion, TrainingSpec spec, Path directory) {
        JsonNode dataset = datasets.identity(datasetSlug);
        try {
            return load(datasets, dataset, datasets.versionToRead(datasetSlug, dataVersion), datasetSlug, dataVersion, spec, directory);
        } catch (DataIntegrityException | DatasetServiceUnavailableException e) {
            if (!datasets.forgetAnnounced(datasetSlug, dataVersion)) {
                throw e;
            }
            return load(datasets, dataset, datasets.version(datasetSlug, dataVersion), datasetSlug, dataVersion, spec, directory);
        }
    }

    /**
     * {@link #load(DatasetServiceClient, String, String, TrainingSpec, Path)}, from what {@link VersionPrefetch} read of
     * the version while its run waited, when it read it; the same files either way.
     */
    public static VersionData load(DatasetServiceClient datasets, VersionPrefetch prefetch, String datasetSlug, String dataVersion,
            TrainingSpec spec, Path directory) throws InterruptedException {
        Optional<VersionPrefetch.Read> read = prefetch.take(datasetSlug, dataVersion);
        if (read.isEmpty()) {
            return load(datasets, datasetSlug, dataVersion, spec, directory);
        }
        List<String> lines = read.get().lines();
        return split(read.get().dataset(), read.get().version(), action -> {
            for (String line : lines) {
                action.accept(JSON.readTree(line), line);
            }
        }, datasetSlug, dataVersion, spec, directory, true);
    }

    private static VersionData load(DatasetServiceClient datasets, JsonNode dataset, JsonNode version, String datasetSlug, String dataVersion,
            TrainingSpec spec, Path directory) {
        return split(dataset, version, action -> datasets.forEachRecord(datasetSlug, dataset, version, record -> action.accept(record, line(record))),
                datasetSlug, dataVersion, spec, directory, false);
    }

    /** A record as its line in the run's files. */
    static String line(JsonNode record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where {@link #split} takes its records from: each record with its line ({@link #line}). */
    private interface Records {
        void forEach(RecordAction action) throws IOException;
    }

    private interface RecordAction {
        void accept(JsonNode record, String line);
    }

    private static VersionData split(JsonNode dataset, JsonNode version, Records records, String datasetSlug, String dataVersion,
            TrainingSpec spec, Path directory, boolean readAhead) {
        String primaryKey = dataset.path("primaryKey").asText();
        HoldoutSplit split = HoldoutSplit.of(spec);
        Path training = directory.resolve("train.ndjson");
        Path heldOut = directory.resolve("heldout.ndjson");
        long[] counts = new long[3];
        try {
            Files.createDirectories(directory);
            try (BufferedWriter train = Files.newBufferedWriter(training, StandardCharsets.UTF_8);
                    BufferedWriter held = Files.newBufferedWriter(heldOut, StandardCharsets.UTF_8)) {
                records.forEach((record, line) -> {
                    boolean isHeldOut = split.isHeldOut(record.get(primaryKey));
                    try {
                        (isHeldOut ? held : train).write(line);
                        (isHeldOut ? held : train).write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    counts[isHeldOut ? 1 : 0]++;
                    if (isHeldOut && Labels.of(record, spec.labelField()) != null) {
                        counts[2]++;
                    }
                });
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot keep the records of " + datasetSlug + "@" + dataVersion + " under " + directory + ": "
                    + e.getMessage(), e);
        }
        return new VersionData(dataset.path("name").asText(), datasetSlug, dataVersion, version.path("dataHash").asText(), training, heldOut,
                counts[0], counts[1], counts[2], readAhead);
    }

    /** The training records in memory; refused past {@code max} (the heap would not hold them). */
    public List<JsonNode> training(long max) throws TrainingFailedException {
        return read(trainingFile, trainingCount, max, "training");
    }

    /** The held-out records in memory; refused past {@code max}. */
    public List<JsonNode> heldOut(long max) throws TrainingFailedException {
        return read(heldOutFile, heldOutCount, max, "held-out");
    }

    /** Every held-out record, one at a time. */
    public void forEachHeldOut(Consumer<JsonNode> action) {
        try (BufferedReader lines = Files.newBufferedReader(heldOutFile, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                action.accept(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the two files. */
    public void delete() {
        try {
            Files.deleteIfExists(trainingFile);
            Files.deleteIfExists(heldOutFile);
        } catch (IOException e) {
            // temporary files of a finished attempt; the next attempt writes its own
        }
    }

    private List<JsonNode> read(Path file, long count, long max, String what) throws TrainingFailedException {
        if (count > max) {
            throw new TrainingFailedException(count + " " + what + " records of " + datasetSlug + "@" + dataVersion + " are more than this "
                    + "orchestrator holds in memory (dataline.runs.max-records-in-memory = " + max + "); train it with a process or Kubernetes "
                    + "trainer, which read the records from files, or raise the limit with the pod's memory");
        }
        List<JsonNode> records = new ArrayList<>((int) count);
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                records.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }
}
