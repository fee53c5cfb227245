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
import io.dataline.dataset.versioning.Hash;
import io.dataline.dataset.versioning.ProllyTree;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.service.outbox.OutboxWriter;
import io.dataline.service.rest.ProblemException;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    @Inject
    Branches branches;

    @Inject
    Reviews reviews;

    /** The {@code expectedParent} that says "the dataset has no version yet". */
    public static final String EMPTY = "empty";

    /**
     * The version committed (or, for a retried Idempotency-Key, the version the first attempt committed), the chunk
     * reads and writes this commit made (none for a replay), and for a one-shot commit how long reading, checking and
     * sorting its body took (0 otherwise).
     */
    public record Committed(VersionView version, boolean replayed, ChunkRepository.Io chunks, long intakeNanos) {
        Committed withIntake(long nanos) {
            return new Committed(version, replayed, chunks, nanos);
        }
    }

    public Committed commit(String nameOrSlug, CommitRequest request, String idempotencyKey, String traceparent) {
        return commit(nameOrSlug, null, request, idempotencyKey, traceparent);
    }

    /**
     * Commits a branch's shared area (null: main), or the change set the request names (which must be on that branch
     * when one is named). Every commit starts its branch's pipeline ({@code dataset.committed} names the branch); on a
     * branch other than main the model it trains is a candidate, the check of a pull request, and staging never moves.
     */
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    public Committed commit(String nameOrSlug, String branch, CommitRequest request, String idempotencyKey, String traceparent) {
        CommitRequest.check(request, idempotencyKey);
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        String requestHash = request.fingerprint(null);
        Optional<Committed> replayed = replay(dataset, idempotencyKey, requestHash);
        if (replayed.isPresent()) {
            return replayed.get();
        }
        StagedChangeRepository.Area area = changeSets.area(dataset, branch, request.changeset());
        reviews.requireUnprotected(dataset, area.branch());
        checkParent(dataset, area.branch(), request);
        ChunkRepository.Session store = chunks.session();
        Optional<DatasetVersion> parent = parent(dataset, area.branch());
        // The one read of the staged changes also tells whether there are any (no query of its own in front of it: an
        // EXISTS walked the dead index entries of earlier commits' changes again, ~1 ms a commit); with none, nothing
        // was written to the store, and the transaction rolls back.
        long[] read = {0};
        Consumer<Consumer<StagedChangeRepository.StagedChange>> changes = action -> staged.forEachInKeyOrder(area, change -> {
            read[0]++;
            action.accept(change);
        });
        VersionTrees.Tree tree = parent.isEmpty() ? VersionTrees.build(store, dataset.treeFormat, changes)
                : VersionTrees.apply(store, dataset.treeFormat, Hash.fromHex(parent.get().dataHash), changes);
        if (read[0] == 0) {
            throw ProblemException.invalid("nothing to commit: no staged changes" + (request.changeset() == null ? "" : " in change set "
                    + request.changeset()), "", "stage records or deletes first");
        }
        staged.clear(area);
        changeSets.close(area);
        return record(dataset, area.branch(), parent, null, tree, store, request, idempotencyKey, requestHash, traceparent);
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
        return commitRecords(nameOrSlug, null, request, replace, idempotencyKey, traceparent, body);
    }

    /** A one-shot commit to a branch (null: main). */
    public Committed commitRecords(String nameOrSlug, String branch, CommitRequest request, boolean replace, String idempotencyKey,
            String traceparent, java.io.InputStream body) {
        CommitRequest.check(request, idempotencyKey);
        if (request.changeset() != null) {
            throw ProblemException.invalid("a one-shot commit takes its records from the body", "/query/changeset",
                    "commit a change set with a JSON body {\"changeset\": ...} instead");
        }
        String onto = branch == null ? Branches.MAIN : branch;
        RecordIntake.Target target = intake.target(nameOrSlug, onto, null);
        long started = System.nanoTime();
        try (RecordSpool spool = intake.read(target, body, true, NOTHING_COMMITTED)) {
            if (spool.count() == 0) {
                throw ProblemException.invalid("nothing to commit: the body holds no records", "", "send one JSON record per line");
            }
            long read = System.nanoTime() - started;
            return commitSpool(target, onto, request, replace, idempotencyKey, traceparent, spool).withIntake(read);
        }
    }

    @Transactional
    @TransactionConfiguration(timeout = 3600)
    Committed commitSpool(RecordIntake.Target target, String branch, CommitRequest request, boolean replace, String idempotencyKey,
            String traceparent, RecordSpool spool) {
        Dataset dataset = datasets.lock(datasets.findById(target.datasetId()), true);
        String requestHash = request.fingerprint((replace ? "replace:" : "upsert:") + spool.digestHex());
        Optional<Committed> replayed = replay(dataset, idempotencyKey, requestHash);
        if (replayed.isPresent()) {
            return replayed.get();
        }
        reviews.requireUnprotected(dataset, branch);
        checkParent(dataset, branch, request);
        if (dataset.schemaVersion != target.schemaVersion()) {
            intake.recheck(dataset, spool, NOTHING_COMMITTED);
        }
        ChunkRepository.Session store = chunks.session();
        Optional<DatasetVersion> parent = parent(dataset, branch);
        Consumer<Consumer<StagedChangeRepository.StagedChange>> records = action -> spool.forEachSorted(
                entry -> action.accept(new StagedChangeRepository.StagedChange(entry.key(), entry.value())));
        VersionTrees.Tree tree;
        if (parent.isEmpty()) {
            tree = VersionTrees.build(store, dataset.treeFormat, records);
        } else if (replace) {
            tree = VersionTrees.replace(store, dataset.treeFormat, Hash.fromHex(parent.get().dataHash), records);
        } else {
            tree = VersionTrees.apply(store, dataset.treeFormat, Hash.fromHex(parent.get().dataHash), records);
        }
        if (parent.isPresent() && tree.added() + tree.updated() + tree.deleted() == 0) {
            throw ProblemException.invalid("nothing to commit: every record is identical to the head " + parent.get().hash, "",
                    "the dataset already holds these records");
        }
        return record(dataset, branch, parent, null, tree, store, request, idempotencyKey, requestHash, traceparent);
    }

    private Optional<DatasetVersion> parent(Dataset dataset, String branch) {
        String head = branches.head(dataset, branch);
        return head == null ? Optional.empty() : versions.find(dataset, head);
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
            return Optional.of(new Committed(VersionView.of(dataset, versions.find(dataset, earlier.get().versionHash).orElseThrow()), true,
                    ChunkRepository.Io.NONE, 0));
        }
        return Optional.empty();
    }

    private void checkParent(Dataset dataset, String branch, CommitRequest request) {
        String expected = EMPTY.equals(request.expectedParent()) ? null : request.expectedParent();
        String head = branches.head(dataset, branch);
        if (request.expectedParent() != null && !java.util.Objects.equals(expected, head)) {
            throw ProblemException.conflict("the head of \"" + dataset.name + "\"" + (Branches.MAIN.equals(branch) ? "" : " branch \"" + branch + "\"")
                    + " is " + (head == null ? "empty" : head) + ", not the expected parent " + request.expectedParent()
                    + "; fetch, re-apply and commit again");
        }
    }

    /**
     * Stores the new version (a merge when {@code mergeParent} is set), moves the branch's head, writes the outbox event
     * for the branch's pipeline, and remembers the Idempotency-Key. Runs in the caller's transaction, under the lock.
     * The tree's last chunks are inserted meanwhile; it returns once every chunk is, so the transaction commits the
     * version after its chunks.
     */
    Committed record(Dataset dataset, String branch, Optional<DatasetVersion> parent, String mergeParent, VersionTrees.Tree tree,
            ChunkRepository.Session store, CommitRequest request, String idempotencyKey, String requestHash, String traceparent) {
        store.startFlush();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String author = request.author() != null && !request.author().isBlank() ? request.author()
                : caller.principal() != null ? caller.principal().keyName() : "unknown";
        DatasetVersion version = new DatasetVersion();
        version.datasetId = dataset.id;
        version.parent = parent.map(p -> p.hash).orElse(null);
        version.dataHash = tree.root().hex();
        version.message = request.message();
        version.author = author;
        version.committedAt = now;
        version.codeCommit = request.codeCommit();
        version.hash = commitHash(dataset, version);
        version.seq = versions.nextSeq(dataset);
        version.branch = branch;
        version.mergeParent = mergeParent;
        version.recordCount = new ProllyTree(store).count(tree.root());
        version.added = tree.added();
        version.updated = tree.updated();
        version.deleted = tree.deleted();
        version.pipelineRevision = dataset.pipelineRevision;
        version.schemaVersion = dataset.schemaVersion;
        versions.persist(version);
        branches.moveHead(dataset, branch, version.hash);
        publish(dataset, version, branch, traceparent);
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
        versions.flush(); // the version's rows go to the database while the last chunks are inserted
        store.flush();
        return new Committed(VersionView.of(dataset, version), false, store.io(), 0);
    }

    /**
     * Writes the version's {@code dataset.committed} to the outbox for the pipeline of {@code branch}: it runs once (the
     * relay is exactly-once); on a branch other than main it trains a candidate that never moves staging.
     */
    void publish(Dataset dataset, DatasetVersion version, String branch, String traceparent) {
        outbox.write(new DatasetCommittedEvent(UUID.randomUUID(), version.committedAt, dataset.name, dataset.slug, version.hash, null, PRODUCER,
                version.dataHash, version.parent, version.message, version.author, version.committedAt, version.recordCount, version.added,
                version.updated, version.deleted, version.pipelineRevision, version.codeCommit, branch, version.schemaVersion,
                dataset.treeFormat.id()), traceparent);
    }

    /** The commit hash: SHA-256 of the canonical JSON of dataset, data hash, parent, message, author, time, code commit. */
    static String commitHash(Dataset dataset, DatasetVersion version) {
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        header.put("dataset", dataset.slug);
        header.put("dataHash", version.dataHash);
        header.put("parent", version.parent);
        if (version.mergeParent != null) {
            header.put("mergeParent", version.mergeParent); // absent for every other commit, so their hashes stay as they were
        }
        header.put("message", version.message);
        header.put("author", version.author);
        header.put("committedAt", version.committedAt.toString());
        header.put("codeCommit", version.codeCommit);
        return Hash.sha256(CanonicalJson.bytes(header)).hex();
    }

    /** Whose Idempotency-Keys these are: the calling API key's id (each key has its own). */
    private String apiKey() {
        return caller.principal() == null ? "" : caller.principal().keyId();
    }
}
