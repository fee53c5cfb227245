package io.dataline.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared chunk cache: bounded by bytes, second chance for chunks read since the hand passed, safe to share. */
class ChunkCacheTest {

    private static Chunk chunk(int id, int size) {
        byte[] value = new byte[size];
        java.util.Arrays.fill(value, (byte) 'x');
        return Chunk.of(0, List.of(new Entry(("k" + id).getBytes(StandardCharsets.UTF_8), value)));
    }

    @Test
    void shouldHoldNoMoreBytesThanItsCapacityAndEvictTheOldestNotReadSince() {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chunks.add(chunk(i, 90));
        }
        long each = chunks.get(0).encoded().length;
        ChunkCache cache = new ChunkCache(3 * each);
        chunks.subList(0, 3).forEach(cache::put);
        assertThat(cache.get(chunks.get(0).hash())).isSameAs(chunks.get(0)); // read: a second chance

        cache.put(chunks.get(3));

        assertThat(cache.bytes()).isEqualTo(3 * each);
        assertThat(cache.get(chunks.get(1).hash())).as("the oldest not read since it was added").isNull();
        assertThat(cache.get(chunks.get(0).hash())).isSameAs(chunks.get(0));
        assertThat(cache.get(chunks.get(2).hash())).isSameAs(chunks.get(2));
        assertThat(cache.get(chunks.get(3).hash())).isSameAs(chunks.get(3));

        // the same chunk added again is held once
        cache.put(chunks.get(3));
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.bytes()).isEqualTo(3 * each);

        cache.clear();
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
        assertThat(cache.get(chunks.get(0).hash())).isNull();
    }

    @Test
    void shouldEvictAChunkLargerThanItsCapacityRightAway() {
        Chunk small = chunk(1, 10);
        ChunkCache cache = new ChunkCache(small.encoded().length * 2L);
        cache.put(small);
        cache.get(small.hash());

        cache.put(chunk(2, 1000));

        assertThat(cache.get(small.hash())).isSameAs(small);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(small.encoded().length);
    }

    @Test
    void shouldKeepItsAccountWhileThreadsReadAndAddAtOnce() throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            chunks.add(chunk(i, 20 + i % 200));
        }
        ChunkCache cache = new ChunkCache(40_000);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Random random = new Random(t);
            done.add(threads.submit(() -> {
                for (int i = 0; i < 50_000; i++) {
                    Chunk chunk = chunks.get(random.nextInt(chunks.size()));
                    Chunk held = cache.get(chunk.hash());
                    if (held == null) {
                        cache.put(chunk);
                    } else {
                        assertThat(held).isSameAs(chunk);
                    }
                }
            }));
        }
        for (Future<?> future : done) {
            future.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();

        long held = 0;
        int count = 0;
        for (Chunk chunk : chunks) {
            if (cache.get(chunk.hash()) != null) {
                held += chunk.encoded().length;
                count++;
            }
        }
        assertThat(cache.bytes()).isEqualTo(held).isLessThanOrEqualTo(40_000).isGreaterThan(30_000);
        assertThat(cache.size()).isEqualTo(count);
    }
}
