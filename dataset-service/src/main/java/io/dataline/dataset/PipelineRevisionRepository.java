package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class PipelineRevisionRepository implements PanacheRepositoryBase<PipelineRevision, PipelineRevision.Key> {

    public Optional<PipelineRevision> find(Dataset dataset, int revision) {
        return find("datasetId = ?1 and revision = ?2", dataset.id, revision).firstResultOptional();
    }
}
