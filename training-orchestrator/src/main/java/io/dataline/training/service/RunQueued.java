package io.dataline.training.service;

/** Fired inside a transaction that queued a run; the workers wake once it has committed. */
public record RunQueued() {
}
