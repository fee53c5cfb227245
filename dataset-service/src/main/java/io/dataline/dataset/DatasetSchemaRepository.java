package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class DatasetSchemaRepository implements PanacheRepositoryBase<DatasetSchema, DatasetDocument.Key> {

    public DatasetSchema current(Dataset dataset) {
        return find(dataset, dataset.schemaVersion).orElseThrow();
    }

    /** The current schema of each dataset, by dataset id, in one statement (a list of datasets, not one query each). */
    public Map<Long, DatasetSchema> current(Collection<Dataset> datasets) {
        if (datasets.isEmpty()) {
            return Map.of();
        }
        Map<Long, Integer> wanted = new HashMap<>();
        datasets.forEach(d -> wanted.put(d.id, d.schemaVersion));
        Map<Long, DatasetSchema> current = new HashMap<>();
        for (DatasetSchema schema : list("datasetId in ?1 and number in ?2", wanted.keySet(), new HashSet<>(wanted.values()))) {
            if (wanted.get(schema.datasetId) == schema.number) {
                current.put(schema.datasetId, schema);
            }
        }
        return current;
    }

    public Optional<DatasetSchema> find(Dataset dataset, int version) {
        return findByIdOptional(new DatasetDocument.Key(dataset.id, version));
    }
}
