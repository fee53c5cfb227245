package io.dataline.bench;

import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.ChunkStore;
import io.dataline.dataset.versioning.Edit;
import io.dataline.dataset.versioning.Entry;
import io.dataline.dataset.versioning.Hash;
import io.dataline.dataset.versioning.ProllyTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: the version tree alone (dataset-service's prolly tree over chunks in memory, no database, no HTTP) applying
 * 1,000 edits (70% updates, 20% inserts, 10% deletes) to trees of 10k to 1M records — the algorithmic part of a
 * commit, which should cost the same whatever the tree's size, apart from a logarithmic path length.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TreeCommitBenchmark {

    @Param({"10000", "100000", "1000000"})
    public int records;

    @Param({"1000"})
    public int changes;

    /** The tree format ({@code TreeFormat} id): 4, that of new datasets, and 3 to 1, those of datasets created before. */
    @Param({"4", "3", "2", "1"})
    public int format;

    private ProllyTree tree;
    private Hash root;
    private List<Edit> edits;

    /** Chunks in a map; storing one twice keeps the first. */
    static final class MemoryStore implements ChunkStore {
        private final Map<Hash, byte[]> chunks = new HashMap<>();

        @Override
        public Chunk load(Hash hash) {
            return Chunk.decode(chunks.get(hash));
        }

        @Override
        public void store(Chunk chunk) {
            chunks.putIfAbsent(chunk.hash(), chunk.encoded());
        }
    }

    @Setup
    public void build() {
        tree = new ProllyTree(new MemoryStore(), io.dataline.dataset.versioning.TreeFormat.of(format));
        ProllyTree.TreeBuilder builder = tree.builder();
        for (long i = 0; i < records; i++) {
            builder.add(new Entry(key(i), Records.line(i, 0).getBytes(StandardCharsets.UTF_8)));
        }
        root = builder.finish();
        Random random = new Random(records);
        Set<Long> deleted = new HashSet<>();
        CommitScaling.Change change = CommitScaling.Change.next(random, records, records, changes, deleted, 1);
        java.util.TreeMap<String, Edit> sorted = new java.util.TreeMap<>();
        change.updates().forEach(k -> sorted.put(Records.key(k), Edit.put(key(k), Records.line(k, 1).getBytes(StandardCharsets.UTF_8))));
        change.inserts().forEach(k -> sorted.put(Records.key(k), Edit.put(key(k), Records.line(k, 0).getBytes(StandardCharsets.UTF_8))));
        change.deletes().forEach(k -> sorted.put(Records.key(k), Edit.delete(key(k))));
        edits = new ArrayList<>(sorted.values());
    }

    private static byte[] key(long i) {
        return Records.key(i).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Hash apply() {
        return tree.apply(root, edits);
    }
}
