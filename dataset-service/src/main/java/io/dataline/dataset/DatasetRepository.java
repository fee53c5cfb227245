package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;

@ApplicationScoped
public class DatasetRepository implements PanacheRepository<Dataset> {

    /** Identifiers (names and slugs) already resolved, and the id of their dataset: a dataset never changes either. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> resolved = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_RESOLVED = 10_000;

    /**
     * The one dataset whose display name or slug this is (names and slugs share one namespace). Datasets are never
     * renamed or deleted, so an identifier once resolved is looked up by id afterwards (the lineage projection asks for
     * the same few datasets on every event); the dataset found must still carry that identifier, else it is resolved
     * again (a database replaced under a running service).
     */
    public Optional<Dataset> findByNameOrSlug(String nameOrSlug) {
        Long id = resolved.get(nameOrSlug);
        if (id != null) {
            Dataset known = findById(id);
            if (known != null && (nameOrSlug.equals(known.slug) || nameOrSlug.equals(known.name))) {
                return Optional.of(known);
            }
            resolved.remove(nameOrSlug, id);
        }
        Optional<Dataset> found = getEntityManager().createNativeQuery("""
                SELECT d.* FROM dataset d JOIN dataset_identifier i ON i.dataset_id = d.id WHERE i.identifier = ?1""", Dataset.class)
                .setParameter(1, nameOrSlug).getResultStream().map(Dataset.class::cast).findFirst();
        found.ifPresent(dataset -> {
            if (resolved.size() >= MAX_RESOLVED) {
                resolved.clear();
            }
            resolved.put(nameOrSlug, dataset.id);
        });
        return found;
    }

    /**
     * Serializes the transactions that write one working area (held until the transaction ends): two uploads to the
     * same area with overlapping keys would otherwise lock their rows in opposite orders and deadlock. Writers of
     * different areas (their own change sets) never wait for each other.
     */
    public void lockArea(StagedChangeRepository.Area area) {
        getEntityManager().createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(?1, ?2)")
                .setParameter(1, (int) area.datasetId()).setParameter(2, area.changeSet().hashCode()).getSingleResult();
    }

    /** Whether some dataset is named so, or has this slug. */
    public boolean identifierTaken(String identifier) {
        return ((Number) getEntityManager().createNativeQuery("SELECT count(*) FROM dataset_identifier WHERE identifier = ?1")
                .setParameter(1, identifier).getSingleResult()).longValue() > 0;
    }

    /** Claims a name or slug for a (flushed) dataset; false when another dataset holds it already. */
    public boolean claim(Dataset dataset, String identifier) {
        return getEntityManager().createNativeQuery("""
                INSERT INTO dataset_identifier (identifier, dataset_id) VALUES (?1, ?2) ON CONFLICT (identifier) DO NOTHING""")
                .setParameter(1, identifier).setParameter(2, dataset.id).executeUpdate() == 1;
    }

    /**
     * Re-reads the dataset holding a row lock: {@code write} serializes commits, {@code !write} lets stagers share. A
     * refresh, not a find: the entity is usually managed already, and a locking find would not re-read its state
     * (a concurrent commit's new head would be missed).
     */
    public Dataset lock(Dataset dataset, boolean write) {
        getEntityManager().refresh(dataset, write ? LockModeType.PESSIMISTIC_WRITE : LockModeType.PESSIMISTIC_READ);
        return dataset;
    }
}
