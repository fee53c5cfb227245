package io.dataline.events;

/**
 * Drift of one field between a version and its parent. Categorical fields carry {@code lInfinity} and
 * {@code jensenShannon}, numeric fields {@code psi}; a score that does not apply (other kind of field, or a
 * first version without parent) is {@code null}.
 */
public record DriftScore(String field, Double lInfinity, Double jensenShannon, Double psi) {
}
