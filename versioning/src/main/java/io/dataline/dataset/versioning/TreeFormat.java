package io.dataline.dataset.versioning;

/**
 * How a tree is cut into nodes. The format decides every node boundary and so every hash: the same records give the
 * same root within one format, not across formats. A dataset therefore keeps the format it was created with, and
 * whoever rebuilds a version's hash from its records uses the version's format. Reading a tree needs no format.
 * <p>
 * Every format is content-defined: whether an entry ends its node depends on the entry (a hash of it, or of its key in
 * format 4) and on what was added since the node began, never on anything before that, so an edit re-cuts only until
 * the new sequence meets an old boundary again. The caps of {@link Chunker} apply to all.
 */
public enum TreeFormat {

    /**
     * Format 1, the first milestone's: a leaf ends after a record whose SHA-256 meets a one-in-{@value #GEOMETRIC_LEAF}
     * condition, an index node after a child whose hash meets one in {@value #GEOMETRIC_INDEX}. Node sizes are
     * geometric, so a changed record usually sits in a large leaf (about {@code 2 × 64} records on average: a random
     * record falls into a large leaf more often than into a small one), and a commit rewrites that much per change.
     */
    GEOMETRIC(1),

    /**
     * Format 2: a node never ends before its entries hold {@value #BOUNDED_LEAF_MIN} bytes (leaves) or
     * {@value #BOUNDED_INDEX_MIN} bytes (index nodes); past that, each entry ends it with a probability of its own size
     * over {@value #BOUNDED_LEAF_TAIL} (leaves) or {@value #BOUNDED_INDEX_TAIL} (index nodes) bytes. Leaves hold 4 to
     * about 8 KiB whatever the record size, so a changed record costs about 6 KiB of rewritten leaf, a quarter of
     * format 1's ~27 KiB for records of ~200 bytes.
     */
    BOUNDED(2, TreeFormat.BOUNDED_LEAF_MIN, TreeFormat.BOUNDED_LEAF_TAIL, TreeFormat.BOUNDED_INDEX_MIN, TreeFormat.BOUNDED_INDEX_TAIL, 1L << 32),

    /**
     * Format 3: format 2's rule with leaves of {@value #SMALL_LEAF_MIN} bytes and more (about 1.5 KiB on average for
     * records of ~200 bytes), index nodes as in format 2, and one difference in the rule: past the minimum an entry
     * ends its node with a probability of at most one half. A changed record costs about 1.5 KiB of rewritten leaf
     * instead of 6, and most nodes stay below the ~2 KiB past which PostgreSQL compresses a value and moves it out of
     * its row. The cap keeps the cut content-defined for records of half the minimum and larger: where every entry
     * past the minimum ended its node (format 2 with records of 2 to 4 KiB), nodes were fixed runs of records, and
     * deleting one record shifted every later boundary, so the commit rewrote the rest of the dataset; with the cap, a
     * shifted sequence meets an old boundary again within a node or two.
     */
    SMALL(3, TreeFormat.SMALL_LEAF_MIN, TreeFormat.SMALL_LEAF_TAIL, TreeFormat.BOUNDED_INDEX_MIN, TreeFormat.BOUNDED_INDEX_TAIL, 1L << 31),

    /**
     * Format 4: format 3's sizes and probabilities, with the draw taken from the entry's key instead of its value.
     * Formats 1 to 3 hash the record (a leaf entry) or take the child's hash (an index entry), so an update that changes
     * a record ends its node or stops ending it as often as a fresh draw would: about a third of the changes to
     * ~200-byte records in format 3 re-cut into the next leaf, and each rewritten child re-draws its parent entry, so
     * the run goes on at the level above too. Here a changed value moves a boundary only through its size (the
     * threshold and the minimum), so an update that keeps its record's length rewrites its own leaf and the index nodes
     * above it, nothing beside them. Each level reads another 32 bits of the key's SHA-256 (level
     * {@code l} the word {@code l mod 8}): with one draw for all levels, the key that ends a leaf, having met the
     * leaf's threshold, would meet an index level's more often than chance, and index nodes would come out small.
     */
    KEYED(4, TreeFormat.SMALL_LEAF_MIN, TreeFormat.SMALL_LEAF_TAIL, TreeFormat.BOUNDED_INDEX_MIN, TreeFormat.BOUNDED_INDEX_TAIL, 1L << 31);

    /** The format of datasets created from now on. */
    public static final TreeFormat CURRENT = KEYED;

    static final int GEOMETRIC_LEAF = 64;
    static final int GEOMETRIC_INDEX = 32;
    static final int BOUNDED_LEAF_MIN = 4096;
    static final int BOUNDED_LEAF_TAIL = 2048;
    static final int BOUNDED_INDEX_MIN = 1024;
    static final int BOUNDED_INDEX_TAIL = 512;
    static final int SMALL_LEAF_MIN = 1024;
    static final int SMALL_LEAF_TAIL = 512;

    private final int id;
    private final int leafMin;
    private final int leafTail;
    private final int indexMin;
    private final int indexTail;
    /** The highest chance an entry past the minimum has of ending its node, in 2<sup>-32</sup>ths. */
    private final long mostChance;

    TreeFormat(int id) {
        this(id, 0, 0, 0, 0, 0);
    }

    TreeFormat(int id, int leafMin, int leafTail, int indexMin, int indexTail, long mostChance) {
        this.id = id;
        this.leafMin = leafMin;
        this.leafTail = leafTail;
        this.indexMin = indexMin;
        this.indexTail = indexTail;
        this.mostChance = mostChance;
    }

    /** The number stored with a dataset and shown with its versions ({@code treeFormat}). */
    public int id() {
        return id;
    }

    public static TreeFormat of(int id) {
        for (TreeFormat format : values()) {
            if (format.id == id) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown tree format " + id + " (this build knows 1 to 4)");
    }

    /**
     * Whether {@code entry}, just added to a node of {@code level} that now holds {@code bytes} bytes of keys and values
     * (the entry's included), ends that node.
     */
    boolean ends(int level, Entry entry, long bytes) {
        if (this == GEOMETRIC) {
            return level == 0 ? Hash.sha256(entry.value()).prefix() % GEOMETRIC_LEAF == 0
                    : ChildRef.hashOf(entry.value()).prefix() % GEOMETRIC_INDEX == 0;
        }
        if (bytes < (level == 0 ? leafMin : indexMin)) {
            return false;
        }
        long size = entry.key().length + entry.value().length;
        long threshold = Math.min(mostChance, size * (1L << 32) / (level == 0 ? leafTail : indexTail));
        if (this == KEYED) {
            return Hash.sha256(entry.key()).word(level % 8) < threshold;
        }
        Hash hash = level == 0 ? Hash.sha256(entry.value()) : ChildRef.hashOf(entry.value());
        return hash.prefix() < threshold;
    }
}
