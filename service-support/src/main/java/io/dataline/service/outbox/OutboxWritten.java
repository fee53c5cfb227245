package io.dataline.service.outbox;

/** Fired inside a transaction that wrote outbox rows; the relay wakes once it has committed. */
public record OutboxWritten() {
}
