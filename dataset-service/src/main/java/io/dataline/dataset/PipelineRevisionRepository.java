package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class PipelineRevisionRepository implements PanacheRepositoryBase<PipelineRevision, DatasetDocument.Key> {

    public Optional<PipelineRevision> find(Dataset dataset, int revision) {
        return findByIdOptional(new DatasetDocument.Key(dataset.id, revision));
    }
}
