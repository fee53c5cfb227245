package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.dataset.versioning.CanonicalJson;
import io.dataline.dataset.versioning.KeyType;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first half of every record upload (staging into an area, or a one-shot commit): the records are read from the
 * body and checked (JSON, key, numbers, text, schema, size, duplicates) into a {@link RecordSpool} with no transaction
 * and no database connection held, so a slow client holds nothing but its own request. A body with any invalid record
 * is answered 422 with every error (up to a limit, plus the total) and leaves nothing behind. The second half, in the
 * caller, writes the spool in one short transaction.
 */
@ApplicationScoped
public class RecordIntake {

    /** What an upload is checked against, read in a short transaction before the body. */
    public record Target(long datasetId, String dataset, String primaryKey, KeyType keyType, int schemaVersion, String schemaJson) {
    }

    @Inject
    DatasetService datasetService;

    @Inject
    ChangeSets changeSets;

    @Inject
    RecordSchemas schemas;

    @Inject
    DatasetServiceConfig config;

    @Inject
    ObjectMapper mapper;

    /**
     * The dataset (and, when named, the caller's change set: 404 before a byte of the body is read) an upload goes to.
     */
    @Transactional
    public Target target(String nameOrSlug, String changeSet) {
        return target(nameOrSlug, null, changeSet);
    }

    /** As {@link #target(String, String)}, the branch (when named) checked too: 404 before a byte is read. */
    @Transactional
    public Target target(String nameOrSlug, String branch, String changeSet) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        if (changeSet != null || branch != null) {
            changeSets.area(dataset, branch, changeSet);
        }
        return new Target(dataset.id, dataset.name, dataset.primaryKey, dataset.keyType, dataset.schemaVersion, datasetService.schemaJson(dataset));
    }

    /**
     * Reads and checks every record of the body; 422 with the errors (nothing kept), else the spooled records. Two
     * threads share the work: this one parses each record and checks it (JSON, key, numbers, text, schema), and a
     * writer ({@link IntakeWriter}) canonicalises the records that passed, checks their size and their keys for
     * duplicates and spools them, so an upload uses a second core. What is handed over is bounded
     * ({@value IntakeWriter#IN_FLIGHT_BYTES} bytes of the body), and the errors are reported in the body's order.
     */
    RecordSpool read(Target target, InputStream body, boolean ndjson, String nothingDone) {
        int maxErrors = config.records().maxErrors();
        StagingService.KeySet seen = new StagingService.KeySet(config.records().duplicateCheckKeys());
        RecordSpool spool = new RecordSpool(spoolDirectory(), config.records().spoolMemoryBytes(), duplicate -> duplicate(target, duplicate,
                nothingDone));
        IntakeWriter writer = new IntakeWriter(target, seen, spool, maxErrors, config.records().maxRecordBytes());
        List<Map<String, Object>> errors = new ArrayList<>();
        try (RecordReader reader = ndjson
                ? RecordReader.ndjson(mapper, body, config.records().maxRecordBytes() * 2, config.records().maxUploadBytes())
                : RecordReader.jsonArray(mapper, body, config.records().maxBodyBytes())) {
            for (RecordReader.Item item = reader.next(); item != null; item = reader.next()) {
                List<String[]> problems = new ArrayList<>();
                byte[] key = null;
                if (item.error() != null) {
                    problems.add(new String[] {item.errorPointer(), item.error()});
                } else if (!item.json().isObject()) {
                    problems.add(new String[] {"", "a record must be a JSON object"});
                } else {
                    key = check(target, item.json(), problems);
                }
                if (problems.isEmpty()) {
                    writer.hand(item, key, reader.lastBytes());
                } else {
                    writer.failed(problems.size());
                    for (String[] problem : problems) {
                        if (errors.size() < maxErrors) {
                            errors.add(IntakeWriter.error(item.index(), item.line(), problem[0], problem[1]));
                        }
                    }
                }
            }
            writer.finish();
        } catch (RuntimeException e) {
            writer.abort();
            spool.close();
            throw e;
        }
        long errorCount = writer.errorCount();
        if (errorCount > 0) {
            spool.close();
            throw new ProblemException(422, "Unprocessable Content", errorCount + " problem(s) in the records; " + nothingDone,
                    IntakeWriter.merged(errors, writer.errors(), maxErrors), errorCount);
        }
        return spool;
    }

    /**
     * Checks spooled records again against the dataset's schema of now, which changed while the body was read (a schema
     * change checks only what was staged before it). 422, naming each record by key, when any fails.
     */
    void recheck(Dataset dataset, RecordSpool spool, String nothingDone) {
        Target target = new Target(dataset.id, dataset.name, dataset.primaryKey, dataset.keyType, dataset.schemaVersion,
                datasetService.schemaJson(dataset));
        int maxErrors = config.records().maxErrors();
        List<Map<String, Object>> errors = new ArrayList<>();
        long[] errorCount = {0};
        spool.forEachSorted(entry -> {
            JsonNode record;
            try {
                record = mapper.readTree(entry.value());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String[]> problems = new ArrayList<>();
            check(target, record, problems);
            errorCount[0] += problems.size();
            for (String[] problem : problems) {
                if (errors.size() < maxErrors) {
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("key", target.keyType().decode(entry.key()));
                    error.put("pointer", problem[0]);
                    error.put("message", problem[1]);
                    errors.add(error);
                }
            }
        });
        if (errorCount[0] > 0) {
            throw new ProblemException(422, "Unprocessable Content", errorCount[0] + " problem(s) in the records under schema version "
                    + dataset.schemaVersion + ", set while they were uploaded; " + nothingDone, errors, errorCount[0]);
        }
    }

    /** Two records with one key, found when the spool is read in key order: 422 naming both, nothing kept. */
    private static ProblemException duplicate(Target target, RecordSpool.Duplicate duplicate, String nothingDone) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("index", duplicate.secondIndex());
        if (duplicate.secondLine() >= 0) {
            error.put("line", duplicate.secondLine());
        }
        error.put("pointer", "/" + target.primaryKey());
        error.put("message", "duplicate primary key " + target.keyType().text(duplicate.key()) + " within the request (first at "
                + (duplicate.firstLine() >= 0 ? "line " + duplicate.firstLine() : "index " + duplicate.firstIndex()) + ")");
        return new ProblemException(422, "Unprocessable Content", "1 problem(s) in the records; " + nothingDone, List.of(error), 1L);
    }

    /** The record's encoded key (null when it has none that can be stored), adding every problem found. */
    private byte[] check(Target target, JsonNode record, List<String[]> problems) {
        String keyPointer = "/" + target.primaryKey();
        byte[] key = target.keyType().encode(record.get(target.primaryKey()));
        if (key == null) {
            problems.add(new String[] {keyPointer, record.has(target.primaryKey())
                    ? "the primary key must be a " + target.keyType().name().toLowerCase(Locale.ROOT)
                            + (target.keyType() == KeyType.INTEGER ? " in int64" : "")
                    : "the primary key is missing"});
        } else if (key.length > KeyType.MAX_KEY_BYTES) {
            problems.add(new String[] {keyPointer, "the primary key is " + key.length + " bytes of UTF-8, over the maximum of "
                    + KeyType.MAX_KEY_BYTES});
            key = null;
        }
        boolean validText = true; // the schema's messages would quote invalid text
        if (!RecordChecks.clean(record)) {
            RecordChecks.numbers(record, "", problems);
            int beforeText = problems.size();
            RecordChecks.strings(record, "", problems);
            validText = problems.size() == beforeText;
        }
        if (validText) {
            String keyQuoted = "'" + target.primaryKey() + "'";
            for (RecordSchemas.Violation v : schemas.validate(target.datasetId(), target.schemaVersion(), target.schemaJson(), record)) {
                // the key's own problem is reported once, above
                if (key != null || !(v.pointer().equals(keyPointer) || v.pointer().isEmpty() && v.message().contains(keyQuoted))) {
                    problems.add(new String[] {v.pointer(), v.message()});
                }
            }
        }
        return key;
    }

    private Path spoolDirectory() {
        return Path.of(config.records().spoolDir().orElse(System.getProperty("java.io.tmpdir") + "/dataline-uploads"));
    }
}
