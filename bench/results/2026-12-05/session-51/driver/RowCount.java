import io.dataline.dataset.versioning.*;
import io.dataline.bench.Records;
import java.nio.charset.StandardCharsets;
import java.util.*;

/**
 * Session 51: the chunks one commit writes per tree level ("rows": new chunks, as the chunk table gets them), their
 * bytes, and the node loads of apply (all of them, and distinct), for a tree of bench records in memory. Arguments:
 * format, records, changes per commit, commits. The changes are like commit-scaling's (CommitScaling.Change): 70 % updates
 * and 10 % deletes of random records, 20 % inserts after the last key; the updates take the record's next revision.
 * The milliseconds printed are apply's wall time in a fresh JVM (no warm-up): not a measurement.
 */
public class RowCount {
    static final class Store implements ChunkStore {
        final Map<Hash, byte[]> chunks = new HashMap<>();
        boolean counting;
        int[] stored = new int[10]; long[] bytes = new long[10]; int loads; Set<Hash> distinct = new HashSet<>();
        public Chunk load(Hash h) { if (counting) { loads++; distinct.add(h);} return Chunk.decode(chunks.get(h)); }
        public void store(Chunk c) {
            if (chunks.putIfAbsent(c.hash(), c.encoded()) == null && counting) { stored[c.level()]++; bytes[c.level()] += c.encoded().length; }
        }
    }
    static byte[] key(long i) { return Records.key(i).getBytes(StandardCharsets.UTF_8); }
    public static void main(String[] a) {
        int format = Integer.parseInt(a[0]); int n = Integer.parseInt(a[1]); int changes = Integer.parseInt(a[2]); int commits = Integer.parseInt(a[3]);
        Store store = new Store();
        ProllyTree tree = new ProllyTree(store, TreeFormat.of(format));
        ProllyTree.TreeBuilder b = tree.builder();
        for (long i = 0; i < n; i++) b.add(new Entry(key(i), Records.line(i, 0).getBytes(StandardCharsets.UTF_8)));
        Hash root = b.finish();
        // level census
        Random random = new Random(n);
        Set<Long> deleted = new HashSet<>();
        long next = n;
        for (int c = 1; c <= commits; c++) {
            int ups = changes * 7 / 10, dels = changes / 10, ins = changes - ups - dels;
            Set<Long> used = new HashSet<>();
            TreeMap<String, Edit> sorted = new TreeMap<>();
            while (used.size() < ups) { long k = (long) (random.nextDouble() * n); if (!deleted.contains(k) && used.add(k)) sorted.put(Records.key(k), Edit.put(key(k), Records.line(k, c).getBytes(StandardCharsets.UTF_8))); }
            int d = 0;
            while (d < dels) { long k = (long) (random.nextDouble() * n); if (!deleted.contains(k) && used.add(k)) { deleted.add(k); d++; sorted.put(Records.key(k), Edit.delete(key(k))); } }
            for (int i = 0; i < ins; i++) { long k = next++; sorted.put(Records.key(k), Edit.put(key(k), Records.line(k, 0).getBytes(StandardCharsets.UTF_8))); }
            store.counting = true; store.stored = new int[10]; store.bytes = new long[10]; store.loads = 0; store.distinct.clear();
            long t0 = System.nanoTime();
            root = tree.apply(root, new ArrayList<>(sorted.values()));
            long t1 = System.nanoTime();
            store.counting = false;
            int total = 0; long tb = 0; StringBuilder sb = new StringBuilder();
            for (int l = 0; l < 10; l++) { if (store.stored[l] > 0) sb.append(" L").append(l).append('=').append(store.stored[l]); total += store.stored[l]; tb += store.bytes[l]; }
            System.out.printf("format %d n %d changes %d commit %d: rows %d (%s) KiB %d loads %d distinct %d  %.1f ms%n", format, n, changes, c, total, sb.toString().trim(), tb / 1024, store.loads, store.distinct.size(), (t1 - t0) / 1e6);
        }
    }
}
