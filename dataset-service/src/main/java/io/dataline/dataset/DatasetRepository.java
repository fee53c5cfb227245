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

    /** Re-reads the dataset holding a row lock: {@code write} serializes commits, {@code !write} lets stagers share. */
    public Dataset lock(Dataset dataset, boolean write) {
        return findById(dataset.id, write ? LockModeType.PESSIMISTIC_WRITE : LockModeType.PESSIMISTIC_READ);
    }
}
