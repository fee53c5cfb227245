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
     * Takes the oldest queued run that may start (skipping runs another worker holds) and marks it RUNNING with its new
     * attempt's upload token hash; empty when none may start.
     * <p>
     * Runs of one model execute one at a time, in the order they were queued, whatever the number of workers and
     * replicas: a run may start only when no run of its model is RUNNING and none queued before it is still QUEUED.
     * The second condition also covers two claims at once: while one claim holds the oldest run of a model (locked, its
     * UPDATE not yet committed), the other's snapshot still sees that run QUEUED, so it skips the model's later runs
     * instead of starting one beside it. Otherwise a later version of a model could be registered first and the earlier
     * one then promoted over it. {@code training_run_queued_by_model} (V5) answers "an earlier queued run of this model?"
     * with one index probe per candidate.
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

    static final String CLAIM_NEXT = """
            UPDATE training_run SET state = 'RUNNING', attempts = attempts + 1, started_at = now(), heartbeat_at = now(), reason = NULL,
                upload_token_hash = ?
            WHERE id = (SELECT q.id FROM training_run q
                WHERE q.state = 'QUEUED'
                  AND NOT EXISTS (SELECT 1 FROM training_run r WHERE r.state = 'RUNNING' AND r.model = q.model)
                  AND NOT EXISTS (SELECT 1 FROM training_run e WHERE e.state = 'QUEUED' AND e.model = q.model
                      AND (e.created_at, e.id) < (q.created_at, q.id))
                ORDER BY q.created_at, q.id FOR UPDATE OF q SKIP LOCKED LIMIT 1)
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
