package io.dataline.dataset;

import io.dataline.service.rest.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PullRequestRepository implements PanacheRepositoryBase<PullRequest, PullRequest.Key> {

    public Optional<PullRequest> find(Dataset dataset, int number) {
        return find("datasetId = ?1 and number = ?2", dataset.id, number).firstResultOptional();
    }

    /** The dataset's pull request {@code #number}, or a 404 naming it (every endpoint of a pull request starts here). */
    public PullRequest require(Dataset dataset, int number) {
        return find(dataset, number).orElseThrow(() -> ProblemException.notFound("dataset \"" + dataset.name + "\" has no pull request #" + number));
    }

    /** Newest first; {@code state} null: every state. */
    public List<PullRequest> list(Dataset dataset, String state) {
        return state == null ? list("datasetId", Sort.descending("number"), dataset.id)
                : list("datasetId = ?1 and state = ?2", Sort.descending("number"), dataset.id, state);
    }

    /**
     * The pull requests the versions of these datasets may belong to ({@link #belongsTo}): those that merged one of the
     * hashes, and every open one.
     */
    public List<PullRequest> candidates(Collection<Long> datasetIds, Collection<String> hashes) {
        return hashes.isEmpty() ? List.of()
                : list("datasetId in ?1 and (mergeVersion in ?2 or state = 'open')", Sort.ascending("number"), datasetIds, hashes);
    }

    /**
     * The pull request a version belongs to, of the {@link #candidates}: the one whose merge made it (or moved to it),
     * else the newest open one from its branch.
     */
    public static Optional<PullRequest> belongsTo(List<PullRequest> candidates, DatasetVersion version) {
        Optional<PullRequest> merged = candidates.stream()
                .filter(p -> p.datasetId.equals(version.datasetId) && version.hash.equals(p.mergeVersion)).findFirst();
        return merged.isPresent() || "main".equals(version.branch) ? merged
                : candidates.stream().filter(p -> p.datasetId.equals(version.datasetId) && "open".equals(p.state)
                        && version.branch.equals(p.fromBranch)).max(java.util.Comparator.comparingInt(p -> p.number));
    }

    /** The open pull requests from one branch, oldest first. */
    public List<PullRequest> openFrom(long datasetId, String branch) {
        return list("datasetId = ?1 and fromBranch = ?2 and state = 'open'", Sort.ascending("number"), datasetId, branch);
    }

    /**
     * Claims the announcement of the checks of {@code head}: true for exactly one caller however many race (the row
     * lock orders them and the second finds the head already recorded). In the caller's transaction.
     */
    public boolean claimChecksReport(PullRequest pull, String head) {
        return getEntityManager().createNativeQuery("UPDATE pull_request SET checks_reported = ?1 WHERE dataset_id = ?2 AND number = ?3 "
                + "AND checks_reported IS DISTINCT FROM ?1").setParameter(1, head).setParameter(2, pull.datasetId).setParameter(3, pull.number)
                .executeUpdate() == 1;
    }

    /** The next number of a dataset's pull requests; call it under the dataset's lock. */
    public int nextNumber(Dataset dataset) {
        Number max = (Number) getEntityManager().createNativeQuery("SELECT coalesce(max(number), 0) FROM pull_request WHERE dataset_id = ?1")
                .setParameter(1, dataset.id).getSingleResult();
        return max.intValue() + 1;
    }
}
