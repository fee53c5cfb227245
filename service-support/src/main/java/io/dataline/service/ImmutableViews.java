package io.dataline.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Remembers answers that can never change: a pipeline revision, a schema version, a version named by its hash, the
 * identity of a dataset (datasets are never renamed or deleted). Bounded by count (least recently used go first) and by
 * age, so a dataset-service whose database was replaced under a running service is believed for at most
 * {@code maxAgeNanos}. Each caller gets its own copy, so nothing it does to a view reaches the next caller. Failures
 * are not remembered: only answers are.
 */
final class ImmutableViews {

    private record Held(JsonNode view, long at) {
    }

    private final int maxEntries;
    private final long maxAgeNanos;
    private final Map<String, Held> views;

    ImmutableViews(int maxEntries, long maxAgeNanos) {
        this.maxEntries = maxEntries;
        this.maxAgeNanos = maxAgeNanos;
        this.views = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
                return size() > ImmutableViews.this.maxEntries;
            }
        };
    }

    /** The view held under {@code key}, else what {@code read} answers (then held); never held across a failure. */
    JsonNode get(String key, Supplier<JsonNode> read) {
        JsonNode held = peek(key);
        if (held != null) {
            return held;
        }
        JsonNode view = read.get();
        put(key, view); // held as a copy: the caller may do as it likes with this one
        return view;
    }

    JsonNode peek(String key) {
        synchronized (views) {
            Held held = views.get(key);
            if (held == null) {
                return null;
            }
            if (System.nanoTime() - held.at() > maxAgeNanos) {
                views.remove(key);
                return null;
            }
            return held.view().deepCopy();
        }
    }

    /** Forgets what is held under {@code key}; whether anything was. */
    boolean remove(String key) {
        synchronized (views) {
            return views.remove(key) != null;
        }
    }

    void put(String key, JsonNode view) {
        synchronized (views) {
            views.put(key, new Held(view.deepCopy(), System.nanoTime()));
        }
    }
}
