package io.dataline.dataset.service;

import io.dataline.dataset.ChunkRepository;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetRepository;
import io.dataline.dataset.DatasetVersionRepository;
import io.dataline.dataset.StagedChangeRepository;
import io.dataline.dataset.versioning.Entry;
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
import java.util.List;
import java.util.Optional;

/**
 * The working areas of a dataset: records are checked as they stream in ({@link RecordIntake}) and staged as upserts by
 * primary key; a request with any invalid record stages nothing and is answered with every error (up to a limit, plus
 * the total). An upsert identical to the head's record is not a change.
 */
@ApplicationScoped
public class StagingService {

    @Inject
    DatasetRepository datasets;

    @Inject
    ChangeSets changeSets;

    @Inject
    DatasetVersionRepository versions;

    @Inject
    ChunkRepository chunks;

    @Inject
    StagedChangeRepository staged;

    @Inject
    RecordIntake intake;

    @Inject
    DatasetService datasetService;

    @Inject
    io.dataline.dataset.RefRepository refs;

    @Inject
    Branches branches;


    /**
     * Every record of the working area: each record of the head, then each staged upsert (key and canonical JSON);
     * what a new schema must accept.
     */
    void forEachWorkingRecord(Dataset dataset, java.util.function.BiConsumer<byte[], byte[]> action) {
        java.util.Set<String> heads = new java.util.LinkedHashSet<>();
        if (dataset.head != null) {
            heads.add(dataset.head);
        }
        heads.addAll(refs.branchHeads(dataset.id)); // every branch's head must stay valid under the dataset's schema
        for (String head : heads) {
            Hash root = Hash.fromHex(versions.find(dataset, head).orElseThrow().dataHash);
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

    static final String NOTHING_STAGED = "nothing was staged";

    /**
     * Stages into the shared area ({@code changeSet} null) or into the caller's change set, in two halves: the body is
     * read and checked into a spool with no transaction (a slow or huge upload holds no connection and no lock), then
     * the spool is written in one short transaction. Either every record is staged or none is.
     */
    public StageResult stage(String nameOrSlug, String changeSet, InputStream body, boolean ndjson) {
        return stage(nameOrSlug, null, changeSet, body, ndjson);
    }

    /** As {@link #stage(String, String, InputStream, boolean)}, into a branch's shared area or one of its change sets. */
    public StageResult stage(String nameOrSlug, String branch, String changeSet, InputStream body, boolean ndjson) {
        RecordIntake.Target target = intake.target(nameOrSlug, branch, changeSet);
        try (RecordSpool spool = intake.read(target, body, ndjson, NOTHING_STAGED)) {
            return write(target, branch, changeSet, spool);
        }
    }

    /** Batch of staged records compared with the head at once (one read per tree level). */
    static final int COMPARE_BATCH = ProllyTree.PREFETCH_LIMIT;

    /** The second half: the spool written at database speed (never at the client's), as large as a commit may take. */
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    StageResult write(RecordIntake.Target target, String branch, String changeSet, RecordSpool spool) {
        Dataset dataset = datasets.lock(datasets.findById(target.datasetId()), false);
        StagedChangeRepository.Area area = changeSets.area(dataset, branch, changeSet);
        datasets.lockArea(area);
        if (dataset.schemaVersion != target.schemaVersion()) {
            intake.recheck(dataset, spool, NOTHING_STAGED);
        }
        // the head's leaves it reads are the ones the commit of these changes rewrites: kept for it
        ProllyTree tree = new ProllyTree(chunks.session().keepingReads());
        Optional<Hash> head = headRoot(dataset, area.branch());
        long[] changed = {0};
        long[] unchanged = {0};
        try (StagedChangeRepository.Writer writer = staged.writer(area)) {
            List<Entry> batch = new ArrayList<>(COMPARE_BATCH);
            java.util.function.Consumer<List<Entry>> compare = records -> {
                // records come in key order: the head's values for a whole batch are read level by level, not key by key
                byte[][] current = head.isPresent() ? tree.getAll(head.get(), records.stream().map(Entry::key).toList())
                        : new byte[records.size()][];
                for (int i = 0; i < records.size(); i++) {
                    Entry record = records.get(i);
                    if (current[i] != null && Arrays.equals(current[i], record.value())) {
                        writer.unstage(record.key());
                        unchanged[0]++;
                    } else {
                        writer.stage(record.key(), record.value());
                        changed[0]++;
                    }
                }
                records.clear();
            };
            spool.forEachSorted(record -> {
                batch.add(record);
                if (batch.size() == COMPARE_BATCH) {
                    compare.accept(batch);
                }
            });
            compare.accept(batch);
        }
        return new StageResult(changed[0], unchanged[0]);
    }

    /** Stages the delete of a key; 404 when the key is neither in the head nor staged. */
    public void stageDelete(String nameOrSlug, String keyText) {
        stageDelete(nameOrSlug, null, null, keyText);
    }

    public void stageDelete(String nameOrSlug, String changeSet, String keyText) {
        stageDelete(nameOrSlug, null, changeSet, keyText);
    }

    /** Stages a delete into a branch's shared area (or one of its change sets); 404 when the key is nowhere. */
    @Transactional
    public void stageDelete(String nameOrSlug, String branch, String changeSet, String keyText) {
        Dataset dataset = datasetService.lock(nameOrSlug, false);
        StagedChangeRepository.Area area = changeSets.area(dataset, branch, changeSet);
        datasets.lockArea(area);
        byte[] key = dataset.keyType.encode(keyText);
        if (key == null) {
            throw ProblemException.notFound("no record with key \"" + keyText + "\" (keys of this dataset are integers)");
        }
        ProllyTree tree = new ProllyTree(chunks.session());
        boolean inHead = headRoot(dataset, area.branch()).flatMap(root -> tree.get(root, key)).isPresent();
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

    /** What is staged in a branch's shared area (null: main). */
    @Transactional
    public StagedChangeRepository.Counts counts(String nameOrSlug, String branch) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        return staged.counts(changeSets.area(dataset, branch, null));
    }

    /** Discards what is staged in a branch's shared area (null: main). */
    @Transactional
    public long discard(String nameOrSlug, String branch) {
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        return staged.clear(changeSets.area(dataset, branch, null));
    }

    /** The root of a branch head's tree; empty when the branch has no version yet. */
    Optional<Hash> headRoot(Dataset dataset, String branch) {
        String head = branches.head(dataset, branch);
        if (head == null) {
            return Optional.empty();
        }
        return versions.find(dataset, head).map(v -> Hash.fromHex(v.dataHash));
    }

    /**
     * Keys seen in one request, as 64-bit fingerprints in an open-addressing table (8 bytes a key), for the first
     * {@code maxKeys} keys only: a duplicate among them is reported with the request's other problems; past them the
     * spool finds duplicates when it sorts ({@link RecordSpool}), so memory stays bounded. A fingerprint is SipHash-2-4
     * under a key drawn for this set alone: a client cannot choose keys that collide (in the table's slots, or as a false
     * duplicate) without knowing it, and it costs ~12 ns a key where a SHA-256 took 80 ns and more (warm, this project's
     * 2-core bench machine).
     */
    static final class KeySet {
        private static final java.security.SecureRandom SECRETS = new java.security.SecureRandom();

        private final int maxKeys;
        private final long k0;
        private final long k1;
        private long[] table = new long[1 << 12];
        private int size;
        private boolean zeroSeen;

        KeySet(int maxKeys) {
            this.maxKeys = maxKeys;
            this.k0 = SECRETS.nextLong();
            this.k1 = SECRETS.nextLong();
        }

        /** False when the key was seen before; true when it is new, or when the set is full and cannot tell. */
        boolean add(byte[] key) {
            long fingerprint = fingerprint(key);
            if (fingerprint == 0) {
                boolean fresh = !zeroSeen;
                zeroSeen = true;
                return fresh;
            }
            if ((size + 1) * 2 > table.length) {
                if (size >= maxKeys) {
                    return !contains(fingerprint);
                }
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

        private boolean contains(long fingerprint) {
            int mask = table.length - 1;
            for (int slot = (int) (fingerprint ^ (fingerprint >>> 32)) & mask; table[slot] != 0; slot = (slot + 1) & mask) {
                if (table[slot] == fingerprint) {
                    return true;
                }
            }
            return false;
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

        private long fingerprint(byte[] key) {
            return sipHash24(k0, k1, key);
        }
    }

    /** SipHash-2-4 (Aumasson and Bernstein, 2012) of {@code data} under the 128-bit key {@code k0, k1}: 64 bits. */
    static long sipHash24(long k0, long k1, byte[] data) {
        SipState state = new SipState(k0, k1);
        int whole = data.length & ~7;
        for (int i = 0; i < whole; i += 8) {
            state.compress((long) LITTLE_ENDIAN_LONG.get(data, i));
        }
        long last = (long) (data.length & 0xFF) << 56;
        for (int i = whole; i < data.length; i++) {
            last |= (data[i] & 0xFFL) << (8 * (i - whole));
        }
        state.compress(last);
        state.v2 ^= 0xff;
        state.rounds(4);
        return state.v0 ^ state.v1 ^ state.v2 ^ state.v3;
    }

    private static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class,
            java.nio.ByteOrder.LITTLE_ENDIAN);

    /** SipHash's four words (a short-lived object the JIT keeps in registers). */
    private static final class SipState {
        long v0;
        long v1;
        long v2;
        long v3;

        SipState(long k0, long k1) {
            v0 = k0 ^ 0x736f6d6570736575L;
            v1 = k1 ^ 0x646f72616e646f6dL;
            v2 = k0 ^ 0x6c7967656e657261L;
            v3 = k1 ^ 0x7465646279746573L;
        }

        /** One message word, with SipHash-2-4's two rounds. */
        void compress(long m) {
            v3 ^= m;
            rounds(2);
            v0 ^= m;
        }

        void rounds(int n) {
            for (int round = 0; round < n; round++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13) ^ v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16) ^ v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21) ^ v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17) ^ v2;
                v2 = Long.rotateLeft(v2, 32);
            }
        }
    }
}
