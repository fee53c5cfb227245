package io.dataline.dataset.versioning;

/**
 * How a tree is cut into nodes. The format decides every node boundary and so every hash: the same records give the
 * same root within one format, not across formats. A dataset therefore keeps the format it was created with, and
 * whoever rebuilds a version's hash from its records uses the version's format. Reading a tree needs no format.
 * <p>
 * Both formats are content-defined: whether an entry ends its node depends on the entry's hash and on what was added
 * since the node began, never on anything before that, so an edit re-cuts only until the new sequence meets an old
 * boundary again. The caps of {@link Chunker} apply to both.
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
    BOUNDED(2);

    /** The format of datasets created from now on. */
    public static final TreeFormat CURRENT = BOUNDED;

    static final int GEOMETRIC_LEAF = 64;
    static final int GEOMETRIC_INDEX = 32;
    static final int BOUNDED_LEAF_MIN = 4096;
    static final int BOUNDED_LEAF_TAIL = 2048;
    static final int BOUNDED_INDEX_MIN = 1024;
    static final int BOUNDED_INDEX_TAIL = 512;

    private final int id;

    TreeFormat(int id) {
        this.id = id;
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
        throw new IllegalArgumentException("unknown tree format " + id + " (this build knows 1 and 2)");
    }

    /**
     * Whether {@code entry}, just added to a node of {@code level} that now holds {@code bytes} bytes of keys and values
     * (the entry's included), ends that node.
     */
    boolean ends(int level, Entry entry, long bytes) {
        if (this == GEOMETRIC) {
            return level == 0 ? Hash.sha256(entry.value()).prefix() % GEOMETRIC_LEAF == 0
                    : ChildRef.decode(entry.value()).hash().prefix() % GEOMETRIC_INDEX == 0;
        }
        if (bytes < (level == 0 ? BOUNDED_LEAF_MIN : BOUNDED_INDEX_MIN)) {
            return false;
        }
        long size = entry.key().length + entry.value().length;
        long threshold = Math.min(1L << 32, size * (1L << 32) / (level == 0 ? BOUNDED_LEAF_TAIL : BOUNDED_INDEX_TAIL));
        Hash hash = level == 0 ? Hash.sha256(entry.value()) : ChildRef.decode(entry.value()).hash();
        return hash.prefix() < threshold;
    }
}
