package io.dataline.service.auth;

import java.util.List;
import java.util.Set;

/**
 * Who a presented API key belongs to: its name (for audit trails), its scopes and, for a key limited to some
 * datasets, those datasets as given and the slugs of the ones that exist ({@code null} both: every dataset).
 */
public record Principal(String name, Set<String> scopes, List<String> datasets, List<String> datasetSlugs) {

    private static final List<String> ORDER = List.of("read", "write", "admin");

    /** Scopes nest: read ⊂ write ⊂ admin. */
    public boolean has(String needed) {
        int rank = ORDER.indexOf(needed);
        return scopes.stream().anyMatch(s -> ORDER.indexOf(s) >= rank && rank >= 0);
    }

    public boolean restricted() {
        return datasets != null;
    }

    /** Whether the key may touch the dataset (or model: models are named by their dataset's slug) so named. */
    public boolean mayUse(String datasetNameOrSlug) {
        return datasets == null || datasets.contains(datasetNameOrSlug) || (datasetSlugs != null && datasetSlugs.contains(datasetNameOrSlug));
    }
}
