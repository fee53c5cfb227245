package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;

@ApplicationScoped
public class DatasetRepository implements PanacheRepository<Dataset> {

    /** A dataset by display name or by slug (paths accept both). */
    public Optional<Dataset> findByNameOrSlug(String nameOrSlug) {
        return find("name = ?1 or slug = ?1", nameOrSlug).firstResultOptional();
    }

    public boolean slugTaken(String slug) {
        return count("slug", slug) > 0;
    }

    public boolean nameTaken(String name) {
        return count("name", name) > 0;
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
