package io.dataline.training;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class TrainingRunRepository implements PanacheRepositoryBase<TrainingRun, UUID> {

    public List<TrainingRun> newest(Optional<String> datasetSlug, int offset, int limit) {
        Sort sort = Sort.descending("createdAt").and("id");
        var query = datasetSlug.isPresent() ? find("datasetSlug", sort, datasetSlug.get()) : findAll(sort);
        return query.range(offset, offset + limit - 1).list();
    }

    public Optional<TrainingRun> forValidatedVersion(String datasetSlug, String dataVersion, String branch) {
        return find("datasetSlug = ?1 and dataVersion = ?2 and branch = ?3 and trigger = ?4", datasetSlug, dataVersion, branch, TrainingRun.TRIGGER_EVENT)
                .firstResultOptional();
    }

    /**
     * Takes the oldest queued run (skipping runs another worker holds) and marks it RUNNING with its new attempt's
     * upload token hash; empty when none is queued.
     * <p>
     * Plain JDBC on the session's connection (same transaction): Hibernate's native query with a scalar result class
     * never finds its own plan in the query plan cache (the cached key's result mapping does not equal the next call's),
     * so each call added one more entry under the same hash, and once the cache was full every claim scanned ~2,000 of
     * them: ~1 ms of CPU per claim, on the path from {@code dataset.validated} to the run starting.
     */
    public Optional<UUID> claimNext(String uploadTokenHash) {
        return getEntityManager().unwrap(org.hibernate.Session.class).doReturningWork(connection -> {
            try (java.sql.PreparedStatement claim = connection.prepareStatement(CLAIM_NEXT)) {
                claim.setString(1, uploadTokenHash);
                try (java.sql.ResultSet row = claim.executeQuery()) {
                    return row.next() ? Optional.of(row.getObject(1, UUID.class)) : Optional.<UUID>empty();
                }
            }
        });
    }

    private static final String CLAIM_NEXT = """
            UPDATE training_run SET state = 'RUNNING', attempts = attempts + 1, started_at = now(), heartbeat_at = now(), reason = NULL,
                upload_token_hash = ?
            WHERE id = (SELECT id FROM training_run WHERE state = 'QUEUED' ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING id""";

    public int heartbeat(UUID id, int attempt) {
        return update("heartbeatAt = ?1 where id = ?2 and state = ?3 and attempts = ?4", java.time.Instant.now(), id, RunState.RUNNING, attempt);
    }

    /**
     * RUNNING runs whose orchestrator stopped proving it is alive (at most 100 a call, oldest heartbeat first).
     * <p>
     * The sweep runs every poll interval, and almost always finds nothing: its ids come from {@link #ORPHANED}, whose
     * literal {@code state = 'RUNNING'} lets PostgreSQL use the partial index {@code training_run_running} (V4) with any
     * plan, generic or not. Hibernate passed the state as a parameter, so the query scanned the whole table, every run
     * ever made: 18-20 ms of statement time a sweep once throughput suites had left several thousand runs behind.
     */
    public List<TrainingRun> orphaned(java.time.Instant heartbeatBefore) {
        List<UUID> ids = getEntityManager().unwrap(org.hibernate.Session.class).doReturningWork(connection -> {
            try (java.sql.PreparedStatement select = connection.prepareStatement(ORPHANED)) {
                select.setObject(1, java.time.OffsetDateTime.ofInstant(heartbeatBefore, java.time.ZoneOffset.UTC));
                List<UUID> found = new java.util.ArrayList<>();
                try (java.sql.ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getObject(1, UUID.class));
                    }
                }
                return found;
            }
        });
        List<TrainingRun> orphans = new java.util.ArrayList<>(ids.size());
        for (UUID id : ids) {
            TrainingRun run = findById(id);
            if (run != null && run.state == RunState.RUNNING) {
                orphans.add(run);
            }
        }
        return orphans;
    }

    static final String ORPHANED = "SELECT id FROM training_run WHERE state = 'RUNNING' AND heartbeat_at < ? ORDER BY heartbeat_at LIMIT 100";
}
