package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class PipelineStageRepository implements PanacheRepository<PipelineStage> {

    public List<PipelineStage> of(String datasetSlug, String dataVersion) {
        return list("datasetSlug = ?1 and dataVersion = ?2", Sort.ascending("at", "id"), datasetSlug, dataVersion);
    }
}
