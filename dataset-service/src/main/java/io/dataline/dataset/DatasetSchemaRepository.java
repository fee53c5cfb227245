package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class DatasetSchemaRepository implements PanacheRepositoryBase<DatasetSchema, DatasetDocument.Key> {

    public DatasetSchema current(Dataset dataset) {
        return find(dataset, dataset.schemaVersion).orElseThrow();
    }

    public Optional<DatasetSchema> find(Dataset dataset, int version) {
        return findByIdOptional(new DatasetDocument.Key(dataset.id, version));
    }
}
