package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.dataset.ChunkRepository;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetVersion;
import io.dataline.dataset.DatasetVersionRepository;
import io.dataline.dataset.versioning.Hash;
import io.dataline.dataset.versioning.KeyType;
import io.dataline.dataset.versioning.ProllyTree;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Reads of committed versions: metadata, pages of history, record exports (NDJSON, CSV) and diffs. */
@ApplicationScoped
public class VersionService {

    public static final int MAX_PAGE_SIZE = 500;

    @Inject
    DatasetVersionRepository versions;

    @Inject
    ChunkRepository chunks;

    @Inject
    DatasetService datasetService;

    @Inject
    ObjectMapper mapper;

    @Inject
    Branches branches;

    /** One page of history, newest first. */
    public record VersionPage(List<VersionView> versions, int page, int size, long total) {
    }

    /**
     * The keys that differ between two versions (as JSON values of the key type), in key order, one page at a time:
     * each list holds the keys from {@code offset} on, at most {@code limit} of them; the counts are always complete,
     * and {@code truncated} says whether a list goes on past this page.
     */
    public record Diff(String from, String to, List<JsonNode> added, List<JsonNode> removed, List<JsonNode> changed,
            long addedCount, long removedCount, long changedCount, boolean truncated) {
    }

    public static final int DEFAULT_DIFF_LIMIT = 10_000;
    public static final int MAX_DIFF_LIMIT = 100_000;

    public VersionPage page(String nameOrSlug, int page, int size) {
        return page(nameOrSlug, null, page, size);
    }

    /** A branch's history (null: main), newest first, following first parents. */
    public VersionPage page(String nameOrSlug, String branch, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw ProblemException.invalid("invalid page", "/query/size", "page >= 0 and 1 <= size <= " + MAX_PAGE_SIZE);
        }
        Dataset dataset = datasetService.resolve(nameOrSlug);
        String target = branch == null ? Branches.MAIN : branch;
        if (Branches.MAIN.equals(target) && versions.onlyMain(dataset)) {
            return new VersionPage(versions.page(dataset, page, size).stream().map(v -> VersionView.of(dataset, v)).toList(), page, size,
                    versions.countOf(dataset));
        }
        String head = branches.head(dataset, target);
        return new VersionPage(versions.chain(dataset, head, page, size).stream().map(v -> VersionView.of(dataset, v)).toList(), page, size,
                versions.chainLength(dataset, head));
    }

    public VersionView get(String nameOrSlug, String hashOrLatest) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        return VersionView.of(dataset, version(dataset, hashOrLatest));
    }

    /** The version a reference names: {@code latest}, a hash, a tag or a branch ({@link Branches#resolve}). */
    DatasetVersion version(Dataset dataset, String hashOrLatest) {
        if ("latest".equals(hashOrLatest) && dataset.head == null) {
            throw ProblemException.notFound("dataset \"" + dataset.name + "\" has no commits yet");
        }
        return branches.resolve(dataset, hashOrLatest).flatMap(hash -> versions.find(dataset, hash))
                .orElseThrow(() -> ProblemException.notFound("dataset \"" + dataset.name + "\" has no version " + hashOrLatest));
    }

    /** The dataset and version an export or diff reads, resolved before any byte is streamed (so errors are clean). */
    public record Snapshot(Dataset dataset, DatasetVersion version, List<String> columns) {
    }

    public Snapshot snapshot(String nameOrSlug, String hashOrLatest) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        DatasetVersion version = version(dataset, hashOrLatest);
        return new Snapshot(dataset, version, columns(dataset));
    }

    /**
     * A streamed export gathers its records in a buffer of {@value} bytes and hands them to the connection each time
     * that much was written: the version is never held whole, and neither a record nor a leaf costs a network write of
     * its own (one per record was most of an export's CPU).
     */
    static final int FLUSH_BYTES = 64 * 1024;

    /**
     * Threads that read a streamed export's chunks a batch ahead of its writing (one per export while it runs), so the
     * database's answers and the writes to the client overlap.
     */
    private static final java.util.concurrent.ExecutorService READ_AHEAD = java.util.concurrent.Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "export-read-ahead");
        thread.setDaemon(true);
        return thread;
    });

    private static long flushPast(OutputStream out, long unflushed) throws IOException {
        if (unflushed < FLUSH_BYTES) {
            return unflushed;
        }
        out.flush();
        return 0;
    }

    /** Writes every record of the version as NDJSON, in key order, one chunk at a time. */
    public void writeNdjson(Snapshot snapshot, OutputStream out) {
        ProllyTree tree = new ProllyTree(chunks.session());
        OutputStream buffered = new java.io.BufferedOutputStream(out, FLUSH_BYTES);
        long[] unflushed = {0};
        tree.forEachLeaf(Hash.fromHex(snapshot.version().dataHash), leaf -> {
            try {
                for (var entry : leaf.entries()) {
                    buffered.write(entry.value());
                    buffered.write('\n');
                    unflushed[0] += entry.value().length + 1;
                }
                unflushed[0] = flushPast(buffered, unflushed[0]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, READ_AHEAD);
        try {
            buffered.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the version as CSV (RFC 4180): a header of the schema's properties (primary key first), then one row per
     * record; nested values are written as their JSON. A text that a spreadsheet would run as a formula (it starts with
     * {@code = + - @}, a tab or a carriage return) is written with a leading {@code '} (OWASP's CSV injection advice);
     * numbers are written as they are, so {@code -1.5} stays a number.
     */
    public void writeCsv(Snapshot snapshot, OutputStream out) {
        List<String> columns = snapshot.columns();
        ProllyTree tree = new ProllyTree(chunks.session());
        OutputStream buffered = new java.io.BufferedOutputStream(out, FLUSH_BYTES);
        long[] unflushed = {0};
        try {
            buffered.write((String.join(",", columns.stream().map(VersionService::csvText).toList()) + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            tree.forEachLeaf(Hash.fromHex(snapshot.version().dataHash), leaf -> {
                StringBuilder rows = new StringBuilder();
                for (var entry : leaf.entries()) {
                    JsonNode record = read(entry.value());
                    for (int i = 0; i < columns.size(); i++) {
                        if (i > 0) {
                            rows.append(',');
                        }
                        JsonNode value = record.get(columns.get(i));
                        if (value != null && !value.isNull()) {
                            rows.append(value.isTextual() ? csvText(value.asText()) : csvCell(value.isValueNode() ? value.asText() : value.toString()));
                        }
                    }
                    rows.append("\r\n");
                }
                try {
                    byte[] bytes = rows.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    buffered.write(bytes);
                    unflushed[0] = flushPast(buffered, unflushed[0] + bytes.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, READ_AHEAD);
            buffered.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Diff diff(String nameOrSlug, String from, String to, int offset, int limit) {
        if (from == null || to == null) {
            throw ProblemException.invalid("from and to are required", "/query", "give ?from=<hash|latest>&to=<hash|latest>");
        }
        if (limit < 1 || limit > MAX_DIFF_LIMIT || offset < 0) {
            throw ProblemException.invalid("invalid page", "/query", "offset >= 0 and 1 <= limit <= " + MAX_DIFF_LIMIT);
        }
        Dataset dataset = datasetService.resolve(nameOrSlug);
        DatasetVersion a = version(dataset, from);
        DatasetVersion b = version(dataset, to);
        KeyType type = dataset.keyType;
        // streamed: only the requested page of each list is kept, so a diff of distant versions of any size runs in
        // memory bounded by the page, not by the difference
        DiffPage page = new DiffPage(offset, limit, type);
        new ProllyTree(chunks.session()).diff(Hash.fromHex(a.dataHash), Hash.fromHex(b.dataHash), page.visitor());
        long end = (long) offset + limit;
        boolean truncated = page.added.count > end || page.removed.count > end || page.changed.count > end;
        return new Diff(a.hash, b.hash, page.added.keys, page.removed.keys, page.changed.keys, page.added.count, page.removed.count,
                page.changed.count, truncated);
    }

    /** The keys of one page of each list of a diff, and the lists' full counts. */
    private static final class DiffPage {
        final PagedList added;
        final PagedList removed;
        final PagedList changed;

        DiffPage(int offset, int limit, KeyType type) {
            added = new PagedList(offset, limit, type);
            removed = new PagedList(offset, limit, type);
            changed = new PagedList(offset, limit, type);
        }

        ProllyTree.DiffVisitor visitor() {
            return ProllyTree.DiffVisitor.of(added::accept, removed::accept, changed::accept);
        }
    }

    private static final class PagedList {
        private final int offset;
        private final int limit;
        private final KeyType type;
        final List<JsonNode> keys = new java.util.ArrayList<>();
        long count;

        PagedList(int offset, int limit, KeyType type) {
            this.offset = offset;
            this.limit = limit;
            this.type = type;
        }

        void accept(byte[] key) {
            if (count >= offset && keys.size() < limit) {
                keys.add(type.decode(key));
            }
            count++;
        }
    }

    private List<String> columns(Dataset dataset) {
        JsonNode properties = datasetService.schemaOf(dataset).path("properties");
        java.util.List<String> columns = new java.util.ArrayList<>();
        columns.add(dataset.primaryKey);
        properties.fieldNames().forEachRemaining(name -> {
            if (!name.equals(dataset.primaryKey)) {
                columns.add(name);
            }
        });
        return columns;
    }

    private JsonNode read(byte[] json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text cell: defused if a spreadsheet would read it as a formula, then quoted as RFC 4180 requires. */
    static String csvText(String text) {
        boolean formula = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0;
        return csvCell(formula ? "'" + text : text);
    }

    static String csvCell(String text) {
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
