package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.dataset.ChunkRepository;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetRepository;
import io.dataline.dataset.DatasetVersion;
import io.dataline.dataset.DatasetVersionRepository;
import io.dataline.dataset.IdempotentCommit;
import io.dataline.dataset.IdempotentCommitRepository;
import io.dataline.dataset.StagedChangeRepository;
import io.dataline.dataset.versioning.CanonicalJson;
import io.dataline.dataset.versioning.Edit;
import io.dataline.dataset.versioning.Entry;
import io.dataline.dataset.versioning.Hash;
import io.dataline.dataset.versioning.ProllyTree;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.service.outbox.OutboxWriter;
import io.dataline.service.rest.ProblemException;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Commits: the staged changes become a new immutable version (a new tree root sharing every unchanged chunk), the
 * dataset's head moves, the staged area empties, and the {@code DatasetCommittedEvent} is written to the outbox, all
 * in one transaction under the dataset's row lock, so concurrent commits serialize and every staged change lands in
 * exactly one commit.
 */
@ApplicationScoped
public class CommitService {

    /** Changed records applied to the tree at once; a larger commit is applied in key-ordered batches of this size. */
    static final int EDIT_BATCH = 20_000;

    static final String PRODUCER = "dataset-service";

    @Inject
    DatasetRepository datasets;

    @Inject
    DatasetVersionRepository versions;

    @Inject
    StagedChangeRepository staged;

    @Inject
    ChunkRepository chunks;

    @Inject
    OutboxWriter outbox;

    @Inject
    IdempotentCommitRepository idempotent;

    @Inject
    DatasetService datasetService;

    @Inject
    Caller caller;

    @Inject
    ChangeSets changeSets;

    @Inject
    RecordIntake intake;

    /**
     * The body of {@code POST /commits}: {@code changeset} names the caller's change set to commit (absent: the shared
     * staging area); {@code expectedParent} is the head the commit expects, a version hash or {@value #EMPTY} for a
     * dataset that has no version yet (absent: no expectation).
     */
    public record CommitRequest(String message, String author, String expectedParent, String codeCommit, String changeset) {
        public CommitRequest(String message, String author, String expectedParent, String codeCommit) {
            this(message, author, expectedParent, codeCommit, null);
        }
    }

    /** The {@code expectedParent} that says "the dataset has no version yet". */
    public static final String EMPTY = "empty";

    /** The version committed (or, for a retried Idempotency-Key, the version the first attempt committed). */
    public record Committed(VersionView version, boolean replayed) {
    }

    @Transactional
    @TransactionConfiguration(timeout = 3600)
    public Committed commit(String nameOrSlug, CommitRequest request, String idempotencyKey, String traceparent) {
        validate(request, idempotencyKey);
        Dataset dataset = datasets.lock(datasetService.resolve(nameOrSlug), true);
        String requestHash = fingerprint(request, null);
        Optional<Committed> replayed = replay(dataset, idempotencyKey, requestHash);
        if (replayed.isPresent()) {
            return replayed.get();
        }
        StagedChangeRepository.Area area = changeSets.area(dataset, request.changeset());
        checkParent(dataset, request);
        StagedChangeRepository.Counts counts = staged.counts(area);
        if (counts.upserts() + counts.deletes() == 0) {
            throw ProblemException.invalid("nothing to commit: no staged changes" + (request.changeset() == null ? "" : " in change set "
                    + request.changeset()), "", "stage records or deletes first");
        }
        ChunkRepository.Session store = chunks.session();
        Optional<DatasetVersion> parent = parent(dataset);
        Tree tree = parent.isEmpty() ? build(store, action -> staged.forEachInKeyOrder(area, action))
                : apply(store, Hash.fromHex(parent.get().dataHash), action -> staged.forEachInKeyOrder(area, action));
        staged.clear(area);
        changeSets.close(area);
        return record(dataset, parent, tree, store, request, idempotencyKey, requestHash, traceparent);
    }

    static final String NOTHING_COMMITTED = "nothing was committed";

    /**
     * A one-shot commit: the NDJSON body's records become the next version without touching any staging area, the
     * fastest way in. The body is read and checked first with no transaction (as an upload to a change set is), then
     * streamed in key order into the tree in one short transaction. {@code replace} false: the records are upserts on
     * the head; true: they are the whole new version (records of the head not in the body are deleted).
     */
    public Committed commitRecords(String nameOrSlug, CommitRequest request, boolean replace, String idempotencyKey, String traceparent,
            java.io.InputStream body) {
        validate(request, idempotencyKey);
        if (request.changeset() != null) {
            throw ProblemException.invalid("a one-shot commit takes its records from the body", "/query/changeset",
                    "commit a change set with a JSON body {\"changeset\": ...} instead");
        }
        RecordIntake.Target target = intake.target(nameOrSlug, null);
        try (RecordSpool spool = intake.read(target, body, true, NOTHING_COMMITTED)) {
            if (spool.count() == 0) {
                throw ProblemException.invalid("nothing to commit: the body holds no records", "", "send one JSON record per line");
            }
            return commitSpool(target, request, replace, idempotencyKey, traceparent, spool);
        }
    }

    @Transactional
    @TransactionConfiguration(timeout = 3600)
    Committed commitSpool(RecordIntake.Target target, CommitRequest request, boolean replace, String idempotencyKey, String traceparent,
            RecordSpool spool) {
        Dataset dataset = datasets.lock(datasets.findById(target.datasetId()), true);
        String requestHash = fingerprint(request, (replace ? "replace:" : "upsert:") + spool.digestHex());
        Optional<Committed> replayed = replay(dataset, idempotencyKey, requestHash);
        if (replayed.isPresent()) {
            return replayed.get();
        }
        checkParent(dataset, request);
        if (dataset.schemaVersion != target.schemaVersion()) {
            intake.recheck(dataset, spool, NOTHING_COMMITTED);
        }
        ChunkRepository.Session store = chunks.session();
        Optional<DatasetVersion> parent = parent(dataset);
        Consumer<Consumer<StagedChangeRepository.StagedChange>> records = action -> spool.forEachSorted(
                entry -> action.accept(new StagedChangeRepository.StagedChange(entry.key(), entry.value())));
        Tree tree;
        if (parent.isEmpty()) {
            tree = build(store, records);
        } else if (replace) {
            Tree built = build(store, records);
            Counting counts = new Counting();
            new ProllyTree(store).diff(Hash.fromHex(parent.get().dataHash), built.root(), counts);
            tree = new Tree(built.root(), counts.added, counts.updated, counts.deleted);
        } else {
            tree = apply(store, Hash.fromHex(parent.get().dataHash), records);
        }
        if (parent.isPresent() && tree.added() + tree.updated() + tree.deleted() == 0) {
            throw ProblemException.invalid("nothing to commit: every record is identical to the head " + dataset.head, "",
                    "the dataset already holds these records");
        }
        return record(dataset, parent, tree, store, request, idempotencyKey, requestHash, traceparent);
    }

    /** A new tree root and how it differs from its parent. */
    private record Tree(Hash root, long added, long updated, long deleted) {
    }

    /** Counts of a diff. */
    private static final class Counting implements ProllyTree.DiffVisitor {
        long added;
        long updated;
        long deleted;

        @Override
        public void added(byte[] key) {
            added++;
        }

        @Override
        public void removed(byte[] key) {
            deleted++;
        }

        @Override
        public void changed(byte[] key) {
            updated++;
        }
    }

    private Optional<DatasetVersion> parent(Dataset dataset) {
        return dataset.head == null ? Optional.empty() : versions.find(dataset, dataset.head);
    }

    /** The answer to a retried Idempotency-Key (409-free replay), or empty for a new one; 422 if reused for another request. */
    private Optional<Committed> replay(Dataset dataset, String idempotencyKey, String requestHash) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        Optional<IdempotentCommit> earlier = idempotent.find(dataset, apiKey(), idempotencyKey);
        if (earlier.isPresent()) {
            if (!earlier.get().requestHash.equals(requestHash)) {
                throw ProblemException.invalid("this Idempotency-Key was used for a different commit request", "",
                        "use a new Idempotency-Key for a new commit");
            }
            return Optional.of(new Committed(VersionView.of(versions.find(dataset, earlier.get().versionHash).orElseThrow()), true));
        }
        return Optional.empty();
    }

    private static void checkParent(Dataset dataset, CommitRequest request) {
        String expected = EMPTY.equals(request.expectedParent()) ? null : request.expectedParent();
        if (request.expectedParent() != null && !java.util.Objects.equals(expected, dataset.head)) {
            throw ProblemException.conflict("the head of \"" + dataset.name + "\" is " + (dataset.head == null ? "empty" : dataset.head)
                    + ", not the expected parent " + request.expectedParent() + "; fetch, re-apply and commit again");
        }
    }

    /** The first version: the changes (in key order) streamed into a new tree, one chunk held at a time. */
    private static Tree build(ChunkRepository.Session store, Consumer<Consumer<StagedChangeRepository.StagedChange>> changes) {
        ProllyTree.TreeBuilder builder = new ProllyTree(store).builder();
        long[] added = {0};
        changes.accept(change -> {
            if (!change.isDelete()) {
                builder.add(new Entry(change.key(), change.record()));
                added[0]++;
            }
        });
        return new Tree(builder.finish(), added[0], 0, 0);
    }

    /** The changes (in key order) applied to the head's tree, each compared with the head's record first. */
    private static Tree apply(ChunkRepository.Session store, Hash head, Consumer<Consumer<StagedChangeRepository.StagedChange>> changes) {
        ProllyTree tree = new ProllyTree(store);
        long[] added = {0};
        long[] updated = {0};
        long[] deleted = {0};
        List<Edit> edits = new ArrayList<>();
        Hash[] current = {head};
        List<StagedChangeRepository.StagedChange> batch = new ArrayList<>();
        Consumer<List<StagedChangeRepository.StagedChange>> compare = batchOfChanges -> {
            // read the head's nodes for a whole batch of keys at once, then compare each staged record with the head's
            tree.prefetch(head, batchOfChanges.stream().map(StagedChangeRepository.StagedChange::key).toList());
            for (StagedChangeRepository.StagedChange change : batchOfChanges) {
                byte[] old = tree.get(head, change.key()).orElse(null);
                if (change.isDelete()) {
                    if (old != null) {
                        deleted[0]++;
                        edits.add(Edit.delete(change.key()));
                    }
                } else if (old == null) {
                    added[0]++;
                    edits.add(Edit.put(change.key(), change.record()));
                } else if (!Arrays.equals(old, change.record())) {
                    updated[0]++;
                    edits.add(Edit.put(change.key(), change.record()));
                }
            }
            batchOfChanges.clear();
            if (edits.size() >= EDIT_BATCH) {
                // changes come in key order, so each batch rewrites its own key range: memory stays bounded however
                // many records change (the index nodes of the intermediate roots are the only extra chunks)
                current[0] = tree.apply(current[0], edits);
                edits.clear();
            }
        };
        changes.accept(change -> {
            batch.add(change);
            if (batch.size() == 1000) {
                compare.accept(batch);
            }
        });
        compare.accept(batch);
        return new Tree(tree.apply(current[0], edits), added[0], updated[0], deleted[0]);
    }

    /** Stores the new version, moves the head, writes the outbox event and remembers the Idempotency-Key. */
    private Committed record(Dataset dataset, Optional<DatasetVersion> parent, Tree tree, ChunkRepository.Session store, CommitRequest request,
            String idempotencyKey, String requestHash, String traceparent) {
        store.flush();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String author = request.author() != null && !request.author().isBlank() ? request.author()
                : caller.principal() != null ? caller.principal().keyName() : "unknown";
        DatasetVersion version = new DatasetVersion();
        version.datasetId = dataset.id;
        version.parent = dataset.head;
        version.dataHash = tree.root().hex();
        version.message = request.message();
        version.author = author;
        version.committedAt = now;
        version.codeCommit = request.codeCommit();
        version.hash = commitHash(dataset, version);
        version.seq = parent.map(p -> p.seq + 1).orElse(1L);
        version.recordCount = new ProllyTree(store).count(tree.root());
        version.added = tree.added();
        version.updated = tree.updated();
        version.deleted = tree.deleted();
        version.pipelineRevision = dataset.pipelineRevision;
        version.schemaVersion = dataset.schemaVersion;
        versions.persist(version);
        dataset.head = version.hash;
        writeOutbox(dataset, version, traceparent);
        if (idempotencyKey != null) {
            IdempotentCommit remembered = new IdempotentCommit();
            remembered.datasetId = dataset.id;
            remembered.apiKey = apiKey();
            remembered.idemKey = idempotencyKey;
            remembered.requestHash = requestHash;
            remembered.versionHash = version.hash;
            remembered.createdAt = now;
            idempotent.persist(remembered);
        }
        return new Committed(VersionView.of(version), false);
    }

    private void writeOutbox(Dataset dataset, DatasetVersion version, String traceparent) {
        outbox.write(new DatasetCommittedEvent(UUID.randomUUID(), version.committedAt, dataset.name, dataset.slug, version.hash, null, PRODUCER,
                version.dataHash, version.parent, version.message, version.author, version.committedAt, version.recordCount, version.added,
                version.updated, version.deleted, version.pipelineRevision, version.codeCommit), traceparent);
    }

    /** The commit hash: SHA-256 of the canonical JSON of dataset, data hash, parent, message, author, time, code commit. */
    static String commitHash(Dataset dataset, DatasetVersion version) {
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        header.put("dataset", dataset.slug);
        header.put("dataHash", version.dataHash);
        header.put("parent", version.parent);
        header.put("message", version.message);
        header.put("author", version.author);
        header.put("committedAt", version.committedAt.toString());
        header.put("codeCommit", version.codeCommit);
        return Hash.sha256(CanonicalJson.bytes(header)).hex();
    }

    /** SHA-256 of what a request asked for: its fields, and for a one-shot commit its mode and records. */
    private static String fingerprint(CommitRequest request, String records) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (records != null) {
            body.put("records", records);
        }
        body.put("message", request.message());
        body.put("author", request.author());
        body.put("expectedParent", request.expectedParent());
        body.put("codeCommit", request.codeCommit());
        if (request.changeset() != null) {
            body.put("changeset", request.changeset());
        }
        return Hash.sha256(CanonicalJson.bytes(body)).hex();
    }

    /** Whose Idempotency-Keys these are: the calling API key's id (each key has its own). */
    private String apiKey() {
        return caller.principal() == null ? "" : caller.principal().keyId();
    }

    private static void validate(CommitRequest request, String idempotencyKey) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body is required: {\"message\": \"...\"}");
        }
        List<java.util.Map<String, Object>> errors = new ArrayList<>();
        if (request.message() == null || request.message().isBlank()) {
            errors.add(DatasetService.error("/message", "is required"));
        } else if (request.message().length() > 10_000) {
            errors.add(DatasetService.error("/message", "at most 10,000 characters"));
        }
        if (request.author() != null && request.author().length() > 200) {
            errors.add(DatasetService.error("/author", "at most 200 characters"));
        }
        if (request.expectedParent() != null && !Hash.isHex(request.expectedParent()) && !EMPTY.equals(request.expectedParent())) {
            errors.add(DatasetService.error("/expectedParent", "must be a version hash (64 lowercase hex digits) or \"" + EMPTY
                    + "\" (the dataset has no version yet)"));
        }
        if (request.changeset() != null && request.changeset().length() > 100) {
            errors.add(DatasetService.error("/changeset", "must be a change set id"));
        }
        if (request.codeCommit() != null && (request.codeCommit().isBlank() || request.codeCommit().length() > 200)) {
            errors.add(DatasetService.error("/codeCommit", "1-200 characters"));
        }
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 200
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(idempotencyKey))) {
            errors.add(DatasetService.error("/headers/Idempotency-Key", "1-200 ASCII characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("the commit request is invalid", errors);
        }
    }

}
