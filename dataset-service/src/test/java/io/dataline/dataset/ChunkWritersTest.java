package io.dataline.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.Entry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a session's chunk rows are written, seen from another connection while the operation's transaction is still
 * open: an operation of fewer than 100 inserts them in its own transaction, so they are not visible before it commits
 * and are gone if it rolls back; a larger one's batches (100 to 500 chunks, handed to a writer as soon as one is idle)
 * are inserted by writer threads in transactions of their own, and so is the rest of it once {@code startFlush()} hands
 * that over, all of them committed once {@code flush()} returns (so before the version's transaction commits), and kept
 * if the operation then fails; a batch a writer cannot insert is inserted by the operation itself. Every chunk reads
 * back meanwhile. PostgreSQL's back-end only (left out of the {@code chunks-on-s3} run: on object storage every row goes
 * in the operation's transaction, as ChunksOnS3Test's commits have it).
 */
@QuarkusTest
class ChunkWritersTest {

    @Inject
    ChunkRepository chunks;

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void writersInsertAgain() {
        chunks.beforeWriterInserts(() -> {
        });
    }

    private static List<Chunk> distinctChunks(int count) {
        String run = UUID.randomUUID().toString();
        List<Chunk> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            made.add(Chunk.of(0, List.of(new Entry((run + "/" + i).getBytes(StandardCharsets.UTF_8), ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8)))));
        }
        return made;
    }

    /** How many of these chunks have committed rows, counted on a connection of another thread (outside any transaction here). */
    private long committedRows(List<Chunk> made) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM chunk WHERE hash = ANY (?)")) {
                query.setArray(1, connection.createArrayOf("bytea", made.stream().map(c -> c.hash().bytes()).toArray(byte[][]::new)));
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }).join();
    }

    /** Stores the chunks in one session of a transaction, flushes, and reports what another connection saw then; rolls back when asked. */
    private long[] storeAndFlush(List<Chunk> made, boolean rollBack) {
        long[] seen = new long[3];
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                ChunkRepository.Session session = chunks.session();
                for (Chunk chunk : made) {
                    session.store(chunk);
                }
                for (Chunk chunk : made) { // served back while their batches are under way, or from this transaction after
                    assertThat(session.load(chunk.hash()).encoded()).isEqualTo(chunk.encoded());
                }
                session.startFlush(); // a commit writes its version meanwhile
                for (Chunk chunk : made) { // and reads its tree's root, maybe under way
                    assertThat(session.load(chunk.hash()).encoded()).isEqualTo(chunk.encoded());
                }
                seen[0] = session.flush();
                seen[1] = committedRows(made);
                seen[2] = session.io().written();
                if (rollBack) {
                    throw new IllegalStateException("the operation fails after its chunks were flushed");
                }
            });
        } catch (IllegalStateException e) {
            assertThat(rollBack).as("only the asked-for failure").isTrue();
        }
        return seen;
    }

    /**
     * Stores and flushes this many chunks: another connection sees none of them before the operation commits, and all
     * after; as many more, rolled back, are gone with the transaction.
     */
    private void assertInsertedInTheOperationsOwnTransaction(int count) {
        List<Chunk> made = distinctChunks(count);

        long[] seen = storeAndFlush(made, false);

        assertThat(seen[0]).isEqualTo(count);
        assertThat(seen[1]).as("rows visible to others before the operation committed").isZero();
        assertThat(committedRows(made)).isEqualTo(count);

        List<Chunk> rolledBack = distinctChunks(count);
        storeAndFlush(rolledBack, true);
        assertThat(committedRows(rolledBack)).as("gone with the transaction").isZero();
    }

    @Test
    void shouldInsertASmallOperationsChunksInItsOwnTransaction() {
        assertInsertedInTheOperationsOwnTransaction(60);
    }

    @Test
    void shouldHandAnOperationOfFewerThanABatchToTheWritersWhenItFlushes() {
        List<Chunk> made = distinctChunks(300); // a commit of a few hundred changes: parts of 100+ to the writers

        long[] seen = storeAndFlush(made, false);

        assertThat(seen[0]).isEqualTo(300);
        assertThat(seen[1]).as("committed by the writers before the operation's own commit").isEqualTo(300);

        List<Chunk> failed = distinctChunks(300);
        storeAndFlush(failed, true);
        assertThat(committedRows(failed)).as("kept after the operation failed: rows no version references").isEqualTo(300);
    }

    @Test
    void shouldHaveALargeOperationsBatchesCommittedByTheWritersBeforeItsFlushReturns() {
        List<Chunk> made = distinctChunks(1_730); // three full batches and a remainder

        long[] seen = storeAndFlush(made, false);

        assertThat(seen[0]).isEqualTo(1_730);
        assertThat(seen[2]).isEqualTo(1_730);
        assertThat(seen[1]).as("committed by the writers before the operation's own commit").isEqualTo(1_730);
        assertThat(committedRows(made)).isEqualTo(1_730);
        // stored again (the same commit retried): every row is found, none is new
        List<Chunk> again = new ArrayList<>(made);
        long[] retried = storeAndFlush(again, false);
        assertThat(retried[0]).isZero();

        List<Chunk> failed = distinctChunks(1_200);
        storeAndFlush(failed, true);
        assertThat(committedRows(failed)).as("kept after the operation failed: rows no version references").isEqualTo(1_200);
    }

    @Test
    void shouldHandChunksToAnIdleWriterBeforeABatchIsFull() {
        List<Chunk> made = distinctChunks(150); // fewer than a batch, more than the fewest a writer is handed
        long[] seen = new long[2];

        QuarkusTransaction.requiringNew().run(() -> {
            ChunkRepository.Session session = chunks.session();
            for (Chunk chunk : made) {
                session.store(chunk);
            }
            // the operation is still building (no startFlush yet): an idle writer took the first hundred meanwhile
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while ((seen[0] = committedRows(made)) < 100 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
            seen[1] = session.flush();
        });

        assertThat(seen[0]).as("rows a writer committed before the operation flushed").isGreaterThanOrEqualTo(100);
        assertThat(seen[1]).isEqualTo(150);
        assertThat(committedRows(made)).isEqualTo(150);
    }

    @Test
    void shouldHandTheRestOfALargeOperationToTheWritersToo() {
        List<Chunk> made = distinctChunks(620); // one full batch; the rest goes to the writers at the end, in parts

        long[] seen = storeAndFlush(made, false);

        assertThat(seen[0]).isEqualTo(620);
        assertThat(seen[1]).as("the rest committed by the writers too, not in the operation's transaction").isEqualTo(620);
    }

    @Test
    void shouldInsertABatchAWriterCouldNotInsertInTheOperationsOwnTransaction() {
        chunks.beforeWriterInserts(() -> {
            throw new IllegalStateException("no connection for the writer");
        });

        assertInsertedInTheOperationsOwnTransaction(1_730);
    }

    @Test
    void shouldServeAChunkStoredTwiceOnceAndCountItOnce() {
        List<Chunk> made = distinctChunks(1_000);
        List<Chunk> twice = new ArrayList<>(made);
        twice.addAll(made.subList(0, 600));

        long[] seen = storeAndFlush(twice, false);

        assertThat(seen[0]).isEqualTo(1_000);
        assertThat(seen[2]).isEqualTo(1_000);
        assertThat(committedRows(made)).isEqualTo(1_000);
    }

    /**
     * A writer that finished its batch takes the next one while the other writer still inserts an earlier batch: the
     * operation must not wait for its oldest batch while a writer sits idle (the 1M-record one-shot commit kept fewer
     * than one of its two writers busy on average that way, session 56).
     */
    @Test
    void shouldGiveTheNextBatchToTheWriterThatFinishedWhileAnEarlierBatchIsStillUnderWay() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        chunks.beforeWriterInserts(() -> {
            if (started.incrementAndGet() == 1) { // the operation's first batch is held until the test has looked
                try {
                    release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        List<Chunk> first = distinctChunks(100);
        List<Chunk> second = distinctChunks(100);
        List<Chunk> third = distinctChunks(100);
        List<Chunk> more = distinctChunks(1_000);
        long[] seen = new long[4];

        try {
            QuarkusTransaction.requiringNew().run(() -> {
                ChunkRepository.Session session = chunks.session();
                first.forEach(session::store); // its hundredth hands them to a writer, which holds them
                second.forEach(session::store); // and these to the other writer, which inserts them
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (committedRows(second) < 100 && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                }
                third.forEach(session::store); // a hundred buffered again: to the writer that finished
                // each chunk stored past the hundredth looks for an idle writer again, should the finished batch not
                // have been handed back yet when the hundredth was stored
                int extra = 0;
                while ((seen[0] = committedRows(third)) < 100 && extra < more.size() && System.nanoTime() < deadline) {
                    session.store(more.get(extra++));
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                }
                seen[1] = committedRows(first);
                seen[3] = extra;
                release.countDown();
                seen[2] = session.flush();
            });
        } finally {
            release.countDown();
        }

        assertThat(seen[1]).as("the first batch was still held by its writer").isZero();
        assertThat(seen[0]).as("rows of the third hundred a writer committed meanwhile").isEqualTo(100);
        assertThat(seen[2]).isEqualTo(300 + seen[3]);
        assertThat(committedRows(first)).isEqualTo(100);
    }
}
