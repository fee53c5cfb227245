package io.dataline.service.auth;

import java.util.List;
import java.util.Set;

/** Who a presented API key belongs to: its name (for audit trails), its scopes and, if restricted, its datasets. */
public record Principal(String name, Set<String> scopes, List<String> datasets) {

    private static final List<String> ORDER = List.of("read", "write", "admin");

    /** Scopes nest: read ⊂ write ⊂ admin. */
    public boolean has(String needed) {
        int rank = ORDER.indexOf(needed);
        return scopes.stream().anyMatch(s -> ORDER.indexOf(s) >= rank && rank >= 0);
    }
}
