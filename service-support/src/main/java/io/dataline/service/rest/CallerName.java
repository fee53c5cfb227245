package io.dataline.service.rest;

import io.dataline.service.auth.Principal;
import jakarta.enterprise.context.RequestScoped;

/** The API key that made the current request (set by {@link ApiKeyFilter}): its name and what it may use. */
@RequestScoped
public class CallerName {

    private Principal principal;

    void set(Principal principal) {
        this.principal = principal;
    }

    public String get() {
        return principal == null ? "unknown" : principal.name();
    }

    /** Whether the caller's key has {@code scope} (read ⊂ write ⊂ admin); false when no key was checked. */
    public boolean has(String scope) {
        return principal != null && principal.has(scope);
    }

    /**
     * Whether the caller's key may use this dataset (or model); true for keys not limited to datasets. False when no
     * key was checked for this request (fail closed: a path the filter did not cover grants nothing).
     */
    public boolean mayUse(String datasetOrModel) {
        return principal != null && principal.mayUse(datasetOrModel);
    }
}
