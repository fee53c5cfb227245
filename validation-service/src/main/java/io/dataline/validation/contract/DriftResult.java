package io.dataline.validation.contract;

/**
 * Drift scores of one field against the parent version: L-infinity and Jensen-Shannon (base 2) for categorical
 * fields, PSI for numeric ones; {@code null} where a score does not apply, all {@code null} for a first version.
 */
public record DriftResult(String field, String kind, Double lInfinity, Double jensenShannon, Double psi) {
}
