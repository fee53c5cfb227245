package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.dataset.ChunkRepository;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetRepository;
import io.dataline.dataset.DatasetVersionRepository;
import io.dataline.dataset.StagedChangeRepository;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.dataset.versioning.CanonicalJson;
import io.dataline.dataset.versioning.Hash;
import io.dataline.dataset.versioning.ProllyTree;
import io.dataline.service.rest.ProblemException;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The working area of a dataset: records are checked as they stream in and staged as upserts by primary key; a
 * request with any invalid record stages nothing (its transaction rolls back) and is answered with every error (up
 * to a limit, plus the total). An upsert identical to the head's record is not a change.
 */
@ApplicationScoped
public class StagingService {

    @Inject
    DatasetRepository datasets;

    @Inject
    DatasetVersionRepository versions;

    @Inject
    StagedChangeRepository staged;

    @Inject
    ChangeSets changeSets;

    @Inject
    ChunkRepository chunks;

    @Inject
    RecordSchemas schemas;

    @Inject
    DatasetService datasetService;

    @Inject
    DatasetServiceConfig config;

    @Inject
    ObjectMapper mapper;

    /**
     * Every record of the working area: each record of the head, then each staged upsert (key and canonical JSON);
     * what a new schema must accept.
     */
    void forEachWorkingRecord(Dataset dataset, java.util.function.BiConsumer<byte[], byte[]> action) {
        if (dataset.head != null) {
            Hash root = Hash.fromHex(versions.find(dataset, dataset.head).orElseThrow().dataHash);
            new ProllyTree(chunks.session()).forEach(root, entry -> action.accept(entry.key(), entry.value()));
        }
        staged.forEachInAnyArea(dataset.id, change -> {
            if (!change.isDelete()) {
                action.accept(change.key(), change.record());
            }
        });
    }

    /** What a staging request did: records that are changes, and records identical to the head. */
    public record StageResult(long staged, long unchanged) {
    }

    /** Stages into the shared area. */
    public StageResult stage(String nameOrSlug, InputStream body, boolean ndjson) {
        return stage(nameOrSlug, null, body, ndjson);
    }

    /** Stages into the shared area ({@code changeSet} null) or into the caller's change set. */
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    public StageResult stage(String nameOrSlug, String changeSet, InputStream body, boolean ndjson) {
        Dataset dataset = datasets.lock(datasetService.resolve(nameOrSlug), false);
        StagedChangeRepository.Area area = changeSets.area(dataset, changeSet);
        datasets.lockArea(area);
        String schemaJson = datasetService.schemaJson(dataset);
        ChunkRepository.Session store = chunks.session();
        ProllyTree tree = new ProllyTree(store);
        Optional<Hash> head = headRoot(dataset);
        int maxErrors = config.records().maxErrors();
        List<Map<String, Object>> errors = new ArrayList<>();
        long errorCount = 0;
        long changed = 0;
        long unchanged = 0;
        KeySet seen = new KeySet();
        try (RecordReader reader = ndjson
                ? RecordReader.ndjson(mapper, body, config.records().maxRecordBytes() * 2)
                : RecordReader.jsonArray(mapper, body, config.records().maxBodyBytes());
                StagedChangeRepository.Writer writer = staged.writer(area)) {
            for (RecordReader.Item item = reader.next(); item != null; item = reader.next()) {
                List<String[]> problems = new ArrayList<>();
                byte[] key = null;
                byte[] canonical = null;
                if (item.error() != null) {
                    problems.add(new String[] {item.errorPointer(), item.error()});
                } else if (!item.json().isObject()) {
                    problems.add(new String[] {"", "a record must be a JSON object"});
                } else {
                    JsonNode record = item.json();
                    String keyPointer = "/" + dataset.primaryKey;
                    key = dataset.keyType.encode(record.get(dataset.primaryKey));
                    if (key == null) {
                        problems.add(new String[] {keyPointer, record.has(dataset.primaryKey)
                                ? "the primary key must be a " + dataset.keyType.name().toLowerCase(java.util.Locale.ROOT)
                                        + (dataset.keyType == io.dataline.dataset.versioning.KeyType.INTEGER ? " in int64" : "")
                                : "the primary key is missing"});
                    } else if (key.length > io.dataline.dataset.versioning.KeyType.MAX_KEY_BYTES) {
                        problems.add(new String[] {keyPointer, "the primary key is " + key.length + " bytes of UTF-8, over the maximum of "
                                + io.dataline.dataset.versioning.KeyType.MAX_KEY_BYTES});
                        key = null;
                    }
                    RecordChecks.numbers(record, "", problems);
                    int beforeText = problems.size();
                    RecordChecks.strings(record, "", problems);
                    boolean validText = problems.size() == beforeText; // the schema's messages would quote invalid text
                    String keyQuoted = "'" + dataset.primaryKey + "'";
                    boolean keyReported = key == null;
                    (validText ? schemas.validate(dataset.id, dataset.schemaVersion, schemaJson, record) : List.<RecordSchemas.Violation>of()).stream()
                            // the key's own problem is reported once, above
                            .filter(v -> !keyReported || !(v.pointer().equals(keyPointer) || v.pointer().isEmpty() && v.message().contains(keyQuoted)))
                            .forEach(v -> problems.add(new String[] {v.pointer(), v.message()}));
                    if (problems.isEmpty()) {
                        canonical = CanonicalJson.bytes(record);
                        if (canonical.length > config.records().maxRecordBytes()) {
                            problems.add(new String[] {"", "the record is " + canonical.length + " bytes, over the maximum of "
                                    + config.records().maxRecordBytes()});
                        } else if (!seen.add(key)) {
                            problems.add(new String[] {"/" + dataset.primaryKey, "duplicate primary key "
                                    + dataset.keyType.text(key) + " within the request"});
                        }
                    }
                }
                if (!problems.isEmpty()) {
                    errorCount += problems.size();
                    for (String[] problem : problems) {
                        if (errors.size() < maxErrors) {
                            Map<String, Object> error = new LinkedHashMap<>();
                            error.put("index", item.index());
                            if (item.line() != null) {
                                error.put("line", item.line());
                            }
                            error.put("pointer", problem[0]);
                            error.put("message", problem[1]);
                            errors.add(error);
                        }
                    }
                    continue;
                }
                if (errorCount > 0) {
                    continue; // keep checking to report every error, but nothing will be staged
                }
                byte[] current = head.isPresent() ? tree.get(head.get(), key).orElse(null) : null;
                if (current != null && Arrays.equals(current, canonical)) {
                    writer.unstage(key);
                    unchanged++;
                } else {
                    writer.stage(key, canonical);
                    changed++;
                }
            }
        }
        if (errorCount > 0) {
            throw new ProblemException(422, "Unprocessable Content", errorCount + " problem(s) in the records; nothing was staged",
                    errors, errorCount);
        }
        return new StageResult(changed, unchanged);
    }

    /** Stages the delete of a key; 404 when the key is neither in the head nor staged. */
    public void stageDelete(String nameOrSlug, String keyText) {
        stageDelete(nameOrSlug, null, keyText);
    }

    @Transactional
    public void stageDelete(String nameOrSlug, String changeSet, String keyText) {
        Dataset dataset = datasets.lock(datasetService.resolve(nameOrSlug), false);
        StagedChangeRepository.Area area = changeSets.area(dataset, changeSet);
        datasets.lockArea(area);
        byte[] key = dataset.keyType.encode(keyText);
        if (key == null) {
            throw ProblemException.notFound("no record with key \"" + keyText + "\" (keys of this dataset are integers)");
        }
        ProllyTree tree = new ProllyTree(chunks.session());
        boolean inHead = headRoot(dataset).flatMap(root -> tree.get(root, key)).isPresent();
        Optional<StagedChangeRepository.StagedChange> stagedChange = staged.find(area, key);
        boolean stagedUpsert = stagedChange.isPresent() && !stagedChange.get().isDelete();
        if (!inHead && !stagedUpsert) {
            throw ProblemException.notFound("no record with key \"" + keyText + "\" in the head or the staged changes");
        }
        try (StagedChangeRepository.Writer writer = staged.writer(area)) {
            if (inHead) {
                writer.stage(key, null);
            } else {
                writer.unstage(key); // it only existed as a staged upsert
            }
        }
    }

    public StagedChangeRepository.Counts counts(String nameOrSlug) {
        return staged.counts(StagedChangeRepository.Area.shared(datasetService.resolve(nameOrSlug).id));
    }

    @Transactional
    public long discard(String nameOrSlug) {
        Dataset dataset = datasets.lock(datasetService.resolve(nameOrSlug), true);
        return staged.clear(StagedChangeRepository.Area.shared(dataset.id));
    }

    Optional<Hash> headRoot(Dataset dataset) {
        if (dataset.head == null) {
            return Optional.empty();
        }
        return versions.find(dataset, dataset.head).map(v -> Hash.fromHex(v.dataHash));
    }

    /** Keys seen in one request, as 64-bit fingerprints in an open-addressing table (8 bytes a key). */
    static final class KeySet {
        private long[] table = new long[1 << 12];
        private int size;
        private boolean zeroSeen;

        boolean add(byte[] key) {
            long fingerprint = fingerprint(key);
            if (fingerprint == 0) {
                boolean fresh = !zeroSeen;
                zeroSeen = true;
                return fresh;
            }
            if ((size + 1) * 2 > table.length) {
                grow();
            }
            return insert(table, fingerprint);
        }

        private boolean insert(long[] into, long fingerprint) {
            int mask = into.length - 1;
            int slot = (int) (fingerprint ^ (fingerprint >>> 32)) & mask;
            while (into[slot] != 0) {
                if (into[slot] == fingerprint) {
                    return false;
                }
                slot = (slot + 1) & mask;
            }
            into[slot] = fingerprint;
            if (into == table) {
                size++;
            }
            return true;
        }

        private void grow() {
            long[] bigger = new long[table.length * 2];
            for (long value : table) {
                if (value != 0) {
                    insert(bigger, value);
                }
            }
            table = bigger;
        }

        private static long fingerprint(byte[] key) {
            byte[] digest = Hash.sha256(key).bytes();
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xFF);
            }
            return value;
        }
    }
}
