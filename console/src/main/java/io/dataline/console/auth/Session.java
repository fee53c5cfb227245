package io.dataline.console.auth;

import java.util.List;
import java.util.Set;

/**
 * One login: the API key (kept here, on the server, never sent back to the browser), who it belongs to, what it may
 * do, and the token every form of this login must carry. {@code datasets}: the slugs the key is limited to, or
 * {@code null} for every dataset.
 */
@io.quarkus.qute.TemplateData
public final class Session {

    private static final List<String> ORDER = List.of("read", "write", "admin");

    private final String id;
    private final String key;
    private final String name;
    private final Set<String> scopes;
    private final List<String> datasets;
    private final String csrf;
    private volatile long lastSeen;

    Session(String id, String key, String name, Set<String> scopes, List<String> datasets, String csrf) {
        this.id = id;
        this.key = key;
        this.name = name;
        this.scopes = Set.copyOf(scopes);
        this.datasets = datasets == null ? null : List.copyOf(datasets);
        this.csrf = csrf;
        touch();
    }

    String id() {
        return id;
    }

    /** The key, for calls to the services on this person's behalf. */
    public String key() {
        return key;
    }

    public String name() {
        return name;
    }

    public String csrf() {
        return csrf;
    }

    /** Scopes nest: read, then write, then admin. */
    public boolean may(String scope) {
        int needed = ORDER.indexOf(scope);
        return needed >= 0 && scopes.stream().anyMatch(s -> ORDER.indexOf(s) >= needed);
    }

    /** What the pages offer to act (rollback, replay, redeliver): admin keys act, the others only see. */
    public boolean admin() {
        return may("admin");
    }

    /** Whether the key may read this dataset (by slug); {@code null}: whether it sees every dataset. */
    public boolean sees(String datasetSlug) {
        return datasets == null || datasetSlug != null && datasets.contains(datasetSlug);
    }

    /** The slugs of the datasets the key is limited to, or {@code null} for every dataset. */
    public List<String> datasets() {
        return datasets;
    }

    void touch() {
        lastSeen = System.nanoTime();
    }

    long lastSeen() {
        return lastSeen;
    }
}
