package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.dataset.ChunkRepository;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetVersion;
import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.Hash;
import io.dataline.dataset.versioning.KeyType;
import io.dataline.dataset.versioning.ProllyTree;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads of single records: one key of a version, one key compared between two versions field by field (a diff's or a
 * pull request's {@code ?key=}), and a slice of a version in key order (the records browser's page).
 */
@ApplicationScoped
public class RecordReads {

    public static final int MAX_SLICE = 1000;

    /** One key in two versions ({@code null}: absent from that version), and each top-level field that differs. */
    public record KeyChange(JsonNode key, JsonNode base, JsonNode head, List<FieldChange> fields) {
    }

    public record FieldChange(String field, JsonNode base, JsonNode head) {
    }

    private final ChunkRepository chunks;
    private final ObjectMapper mapper;
    private final DatasetService datasets;
    private final VersionService versions;

    RecordReads(ChunkRepository chunks, ObjectMapper mapper, DatasetService datasets, VersionService versions) {
        this.chunks = chunks;
        this.mapper = mapper;
        this.datasets = datasets;
        this.versions = versions;
    }

    /** The record under {@code keyText} in a version (hash, {@code latest}, tag or branch), or a 404. */
    public JsonNode record(String nameOrSlug, String version, String keyText) {
        Dataset dataset = datasets.resolve(nameOrSlug);
        return record(dataset, versions.version(dataset, version), keyText);
    }

    /** One key compared between two versions: the version diff's {@code ?key=}. */
    public KeyChange compare(String nameOrSlug, String from, String to, String keyText) {
        Dataset dataset = datasets.resolve(nameOrSlug);
        return compare(dataset, versions.version(dataset, from), versions.version(dataset, to), key(dataset, keyText, "/query/key"));
    }

    /** Some changed keys of a version diff compared field by field, in one read of each version: the diff's {@code ?compare=}. */
    public List<KeyChange> compareAll(String nameOrSlug, String from, String to, List<JsonNode> keys) {
        Dataset dataset = datasets.resolve(nameOrSlug);
        DatasetVersion base = versions.version(dataset, from);
        DatasetVersion head = versions.version(dataset, to);
        return keys.stream().map(key -> compare(dataset, base, head, key(dataset, key.asText(), "/query/compare"))).toList();
    }

    /** The encoded key, or a 422 naming the parameter when the text is not a key of this dataset. */
    static byte[] key(Dataset dataset, String text, String pointer) {
        byte[] key = text == null ? null : dataset.keyType.encode(text);
        if (key == null || key.length == 0 || key.length > KeyType.MAX_KEY_BYTES) {
            throw ProblemException.invalid("invalid key", pointer, "a primary key of this dataset (" + dataset.keyType.name().toLowerCase() + ")");
        }
        return key;
    }

    /** The record stored under {@code key} in the version, or a 404. */
    public JsonNode record(Dataset dataset, DatasetVersion version, String keyText) {
        byte[] key = key(dataset, keyText, "/path/key");
        return new ProllyTree(chunks.session()).get(Hash.fromHex(version.dataHash), key).map(this::json)
                .orElseThrow(() -> ProblemException.notFound("version " + version.hash + " has no record with key " + keyText));
    }

    /** The key in both versions, field by field. */
    public KeyChange compare(Dataset dataset, DatasetVersion base, DatasetVersion head, byte[] key) {
        ProllyTree tree = new ProllyTree(chunks.session());
        JsonNode before = tree.get(Hash.fromHex(base.dataHash), key).map(this::json).orElse(null);
        JsonNode after = tree.get(Hash.fromHex(head.dataHash), key).map(this::json).orElse(null);
        Set<String> fields = new TreeSet<>();
        if (before != null) {
            before.fieldNames().forEachRemaining(fields::add);
        }
        if (after != null) {
            after.fieldNames().forEachRemaining(fields::add);
        }
        List<FieldChange> changes = new ArrayList<>();
        for (String field : fields) {
            JsonNode was = before == null ? null : before.get(field);
            JsonNode is = after == null ? null : after.get(field);
            if (was == null ? is != null : !was.equals(is)) {
                changes.add(new FieldChange(field, was, is));
            }
        }
        return new KeyChange(dataset.keyType.decode(key), before, after, changes);
    }

    /**
     * Writes the records from position {@code offset} on (in key order), at most {@code limit} of them, as NDJSON. Whole
     * leaves before the offset are skipped by their entry counts; the cost grows with the offset, not the version.
     */
    public void writeSlice(DatasetVersion version, long offset, int limit, OutputStream out) {
        var store = chunks.session();
        Iterator<Hash> leaves = new ProllyTree(store).leaves(Hash.fromHex(version.dataHash));
        long position = 0;
        int written = 0;
        try {
            while (leaves.hasNext() && written < limit) {
                Chunk leaf = store.load(leaves.next());
                int size = leaf.entries().size();
                if (position + size <= offset) {
                    position += size;
                    continue;
                }
                for (var entry : leaf.entries()) {
                    if (position++ >= offset && written < limit) {
                        out.write(entry.value());
                        out.write('\n');
                        written++;
                    }
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode json(byte[] record) {
        try {
            return mapper.readTree(record);
        } catch (IOException e) {
            throw new IllegalStateException("a stored record is not JSON", e);
        }
    }
}
