package io.dataline.deploy.service;

/** Fired inside a transaction that wrote outbox rows; the relay wakes once it has committed. */
public record OutboxWritten() {
}
