package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class PipelineStageRepository implements PanacheRepository<PipelineStage> {

    /**
     * The stages of several versions at once, oldest first: every stage of a version of one of {@code slugs} whose hash
     * is one of {@code dataVersions} (the caller keeps the pairs it asked for; version hashes do not repeat across
     * datasets in practice, so the rest is little).
     */
    public List<PipelineStage> ofVersions(Collection<String> slugs, Collection<String> dataVersions) {
        return dataVersions.isEmpty() ? List.of()
                : list("datasetSlug in ?1 and dataVersion in ?2", Sort.ascending("at", "id"), slugs, dataVersions);
    }

    /** A version's stages in the pipeline of one branch, oldest first. */
    public List<PipelineStage> of(String datasetSlug, String dataVersion, String branch) {
        return list("datasetSlug = ?1 and dataVersion = ?2 and branch = ?3", Sort.ascending("at", "id"), datasetSlug, dataVersion, branch);
    }
}
