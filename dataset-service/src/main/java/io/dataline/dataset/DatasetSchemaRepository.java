package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class DatasetSchemaRepository implements PanacheRepositoryBase<DatasetSchema, DatasetDocument.Key> {

    public DatasetSchema current(Dataset dataset) {
        return find(dataset, dataset.schemaVersion).orElseThrow();
    }

    /** The current schema of each dataset, by dataset id: one statement per {@value IdBatches#SIZE} datasets, not one each. */
    public Map<Long, DatasetSchema> current(Collection<Dataset> datasets) {
        return current(datasets, IdBatches.SIZE);
    }

    Map<Long, DatasetSchema> current(Collection<Dataset> datasets, int idsPerStatement) {
        Map<Long, DatasetSchema> current = new HashMap<>();
        for (List<Dataset> batch : IdBatches.of(datasets, idsPerStatement)) {
            Map<Long, Integer> wanted = new HashMap<>();
            batch.forEach(d -> wanted.put(d.id, d.schemaVersion));
            for (DatasetSchema schema : list("datasetId in ?1 and number in ?2", wanted.keySet(), new HashSet<>(wanted.values()))) {
                if (wanted.get(schema.datasetId) == schema.number) {
                    current.put(schema.datasetId, schema);
                }
            }
        }
        return current;
    }

    public Optional<DatasetSchema> find(Dataset dataset, int version) {
        return findByIdOptional(new DatasetDocument.Key(dataset.id, version));
    }
}
