package io.dataline.dataset;

import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.Hash;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded chunks shared by every request, bounded by their encoded bytes, evicted by second chance (CLOCK): a chunk
 * read since the hand last passed it gets another round, one not read goes. A read takes no lock and writes at most a
 * flag of the chunk's slot: a commit at 1M records reads ~17,000 nodes, and an access-ordered map relinked an entry
 * under one lock on every read (19 % of the commit thread's samples in session 47's profile). Adding and evicting take
 * the cache's lock.
 */
final class ChunkCache {

    /**
     * A cached chunk and whether it was read since the clock's hand last passed it; with the chunk's hash and size at
     * hand, so the hand evicts without reading the chunk itself (one memory access fewer per chunk passed).
     */
    private static final class Slot {
        final Hash hash;
        final int size;
        final Chunk chunk;
        /** Written by readers without a lock: a lost update costs a chunk one round, never a wrong answer. */
        boolean used;

        Slot(Chunk chunk) {
            this.hash = chunk.hash();
            this.size = chunk.encoded().length;
            this.chunk = chunk;
        }
    }

    private final long capacityBytes;
    private final ConcurrentHashMap<Hash, Slot> slots = new ConcurrentHashMap<>(4096);
    /** The clock: slots in the order the hand meets them (guarded by this). */
    private final ArrayDeque<Slot> clock = new ArrayDeque<>();
    /** Encoded bytes of the chunks held (guarded by this). */
    private long bytes;

    ChunkCache(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** The chunk with this hash, if held. */
    Chunk get(Hash hash) {
        Slot slot = slots.get(hash);
        if (slot == null) {
            return null;
        }
        if (!slot.used) {
            slot.used = true;
        }
        return slot.chunk;
    }

    /** Holds this chunk (if not held already), evicting chunks not read lately while the bytes held pass the capacity. */
    synchronized void put(Chunk chunk) {
        Slot slot = new Slot(chunk);
        Slot held = slots.putIfAbsent(chunk.hash(), slot);
        if (held != null) {
            held.used = true; // wanted again: as recent as a read
            return;
        }
        clock.addLast(slot);
        bytes += slot.size;
        while (bytes > capacityBytes) {
            Slot next = clock.pollFirst();
            if (next.used) {
                next.used = false;
                clock.addLast(next);
            } else {
                slots.remove(next.hash);
                bytes -= next.size;
            }
        }
    }

    synchronized void clear() {
        slots.clear();
        clock.clear();
        bytes = 0;
    }

    synchronized long bytes() {
        return bytes;
    }

    int size() {
        return slots.size();
    }
}
