package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class DatasetVersionRepository implements PanacheRepositoryBase<DatasetVersion, DatasetVersion.Key> {

    public Optional<DatasetVersion> find(Dataset dataset, String hash) {
        return find("datasetId = ?1 and hash = ?2", dataset.id, hash).firstResultOptional();
    }

    /** Newest first. */
    public List<DatasetVersion> page(Dataset dataset, int page, int size) {
        return find("datasetId", Sort.descending("seq"), dataset.id).page(Page.of(page, size)).list();
    }

    public long countOf(Dataset dataset) {
        return count("datasetId", dataset.id);
    }
}
