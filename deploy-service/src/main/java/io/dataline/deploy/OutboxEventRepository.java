package io.dataline.deploy;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes outbox rows in the service's transactions; the relay reads them through {@code JdbcOutbox}. */
@ApplicationScoped
public class OutboxEventRepository implements PanacheRepository<OutboxEvent> {
}
