package io.dataline.training.service;

import java.lang.ref.Reference;
import java.lang.ref.SoftReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Parsed models by artifact path, the most recently used first: the {@code held} used last are held strongly; the
 * next {@code softly} are held through references the garbage collector may clear (a {@link SoftReference} in
 * service: it clears them before the heap would run out, never after), so a busy JVM keeps every model it can afford
 * and an idle one gives them back. What the collector cleared is simply read again. Thread-safe.
 */
final class RecentModels<V> {

    private final int held;
    private final int softly;
    private final Function<V, Reference<V>> referenceTo;
    private final LinkedHashMap<String, V> strong;
    private final LinkedHashMap<String, Reference<V>> weak;

    RecentModels(int held, int softly) {
        this(held, softly, SoftReference::new);
    }

    /** With the references {@code referenceTo} makes for models past the first {@code held} (a test clears them itself). */
    RecentModels(int held, int softly, Function<V, Reference<V>> referenceTo) {
        this.held = held;
        this.softly = softly;
        this.referenceTo = referenceTo;
        this.weak = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Reference<V>> eldest) {
                return size() > RecentModels.this.softly;
            }
        };
        this.strong = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                if (size() <= RecentModels.this.held) {
                    return false;
                }
                if (RecentModels.this.softly > 0) {
                    weak.put(eldest.getKey(), RecentModels.this.referenceTo.apply(eldest.getValue()));
                }
                return true;
            }
        };
    }

    /** The model kept under {@code path}, now the most recently used; null when none is (or the collector took it). */
    synchronized V get(String path) {
        V model = strong.get(path);
        if (model != null) {
            return model;
        }
        Reference<V> reference = weak.remove(path);
        model = reference == null ? null : reference.get();
        if (model != null) {
            strong.put(path, model);
        }
        return model;
    }

    synchronized void put(String path, V model) {
        weak.remove(path);
        strong.put(path, model);
    }
}
