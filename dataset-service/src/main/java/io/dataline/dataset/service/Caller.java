package io.dataline.dataset.service;

import io.dataline.dataset.Dataset;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.List;
import java.util.Set;

/** Who is calling this request: set by the authentication filter from the Bearer key. */
@RequestScoped
public class Caller {

    private Principal principal;

    /** An authenticated key: its id and name ("admin" for the configured admin key), scopes, datasets (null = all). */
    public record Principal(String keyId, String keyName, Set<Scope> scopes, List<String> datasets) {

        public boolean has(Scope needed) {
            return scopes.stream().anyMatch(s -> s.includes(needed));
        }

        public boolean mayUse(Dataset dataset) {
            return datasets == null || datasets.contains(dataset.name) || datasets.contains(dataset.slug);
        }

        public boolean mayUseName(String name) {
            return datasets == null || datasets.contains(name);
        }
    }

    public void set(Principal principal) {
        this.principal = principal;
    }

    public Principal principal() {
        return principal;
    }

    /** The key's name as people read it in audit fields (authors, reviewers); {@code unknown} without a key. */
    public String keyName() {
        return principal == null ? "unknown" : principal.keyName();
    }

    /** The key's id as ownership is recorded (change sets, reviews); {@code anonymous} without a key. */
    public String keyId() {
        return principal == null ? "anonymous" : principal.keyId();
    }

    /**
     * 404, as if it did not exist, unless the key may use this dataset: a key limited to datasets learns nothing about
     * the others, not even that a name is in use. {@code named} is how the request named it. Without an authenticated
     * key nothing may be used (fail closed: the authentication filter sets one on every API request).
     */
    public void requireDataset(Dataset dataset, String named) {
        if (!mayUse(dataset)) {
            throw ProblemException.notFound("no dataset named \"" + named + "\"");
        }
    }

    /** Whether the authenticated key may use this dataset; false when no key was authenticated. */
    public boolean mayUse(Dataset dataset) {
        return principal != null && principal.mayUse(dataset);
    }
}
