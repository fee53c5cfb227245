package io.dataline.training.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed models by artifact path, least recently used first out, within a budget of artifact bytes: a registered
 * artifact never changes, and each dataset's staged model is measured again on every candidate's held-out records, so
 * it should be parsed once, not per run. A budget in bytes rather than a count of models, because the staged models of
 * many datasets take turns (a count of 4 held none of the 20 datasets' models in the throughput suite: every run parsed
 * its baseline again) while one large model must not fill the heap. The artifact's size stands for the parsed
 * model's (a JSON artifact's numbers and terms are not smaller in memory). The entry used or added last always stays,
 * even alone over the budget. Thread-safe.
 */
public final class LoadedModels<M> {

    private record Entry<M>(M model, long bytes) {
    }

    private final long budget;
    private final Map<String, Entry<M>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    public LoadedModels(long budgetBytes) {
        this.budget = budgetBytes;
    }

    public synchronized M get(String path) {
        Entry<M> entry = entries.get(path);
        return entry == null ? null : entry.model();
    }

    public synchronized void put(String path, M model, long artifactBytes) {
        if (budget <= 0) {
            return;
        }
        Entry<M> old = entries.put(path, new Entry<>(model, Math.max(0, artifactBytes)));
        bytes += Math.max(0, artifactBytes) - (old == null ? 0 : old.bytes());
        Iterator<Entry<M>> eldest = entries.values().iterator();
        while (bytes > budget && entries.size() > 1) {
            bytes -= eldest.next().bytes();
            eldest.remove();
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized long bytes() {
        return bytes;
    }
}
