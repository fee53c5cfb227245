package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class PipelineStageRepository implements PanacheRepository<PipelineStage> {

    /** A version's stages on every branch it ran for, oldest first. */
    public List<PipelineStage> of(String datasetSlug, String dataVersion) {
        return list("datasetSlug = ?1 and dataVersion = ?2", Sort.ascending("at", "id"), datasetSlug, dataVersion);
    }

    /** A version's stages in the pipeline of one branch, oldest first. */
    public List<PipelineStage> of(String datasetSlug, String dataVersion, String branch) {
        return list("datasetSlug = ?1 and dataVersion = ?2 and branch = ?3", Sort.ascending("at", "id"), datasetSlug, dataVersion, branch);
    }
}
