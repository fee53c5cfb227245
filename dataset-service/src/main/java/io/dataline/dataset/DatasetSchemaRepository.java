package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class DatasetSchemaRepository implements PanacheRepositoryBase<DatasetSchema, DatasetSchema.Key> {

    public DatasetSchema current(Dataset dataset) {
        return find("datasetId = ?1 and version = ?2", dataset.id, dataset.schemaVersion).singleResult();
    }
}
