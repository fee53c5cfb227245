package io.dataline.validation.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The drift profiles of versions validated lately, so that the next commit's drift base (most often the version just
 * validated) is not read from dataset-service again. A version never changes and its profile is deterministic (fixed
 * order, fixed sampling seed), so a held profile is the one a new read would gather, provided it watched the same
 * fields. Bounded by count ({@value #MAX_PROFILES}, least recently used go first) and by size: a profile larger than
 * {@value #MAX_PROFILE_BYTES} bytes is not held.
 */
public final class ParentProfiles {

    static final int MAX_PROFILES = 64;
    static final long MAX_PROFILE_BYTES = 8L << 20;

    private record Held(Set<String> fields, ParentProfile profile) {
    }

    private final Map<String, Held> held = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
            return size() > MAX_PROFILES;
        }
    };

    /** Holds the profile of {@code version} of {@code dataset} (a version hash) when it is small enough. */
    public void remember(String dataset, String version, ParentProfile profile) {
        if (profile.estimatedBytes() <= MAX_PROFILE_BYTES) {
            synchronized (held) {
                held.put(dataset + "@" + version, new Held(profile.fieldNames(), profile));
            }
        }
    }

    /** The held profile of that version watching {@code fields}, else what {@code gather} reads (then held). */
    public ParentProfile of(String dataset, String version, Set<String> fields, Supplier<ParentProfile> gather) {
        synchronized (held) {
            Held profile = held.get(dataset + "@" + version);
            if (profile != null && profile.fields().equals(fields)) {
                return profile.profile();
            }
        }
        ParentProfile gathered = gather.get();
        remember(dataset, version, gathered);
        return gathered;
    }

    int size() {
        synchronized (held) {
            return held.size();
        }
    }
}
