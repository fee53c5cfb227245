package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class DatasetVersionRepository implements PanacheRepositoryBase<DatasetVersion, DatasetVersion.Key> {

    public Optional<DatasetVersion> find(Dataset dataset, String hash) {
        return find("datasetId = ?1 and hash = ?2", dataset.id, hash).firstResultOptional();
    }

    /** Newest first. */
    public List<DatasetVersion> page(Dataset dataset, int page, int size) {
        return find("datasetId", Sort.descending("seq"), dataset.id).page(Page.of(page, size)).list();
    }

    /** Newest commit first; between datasets committed at the same instant, by dataset, then by commit order. */
    static final Comparator<DatasetVersion> NEWEST_FIRST = Comparator.comparing((DatasetVersion v) -> v.committedAt).reversed()
            .thenComparing(v -> v.datasetId).thenComparing(v -> v.seq, Comparator.reverseOrder());

    /**
     * The newest versions across datasets, newest first: of each dataset its {@code perDataset} latest commits (in its
     * commit order over every branch, by the {@code (dataset_id, seq)} index), of those the {@code limit} newest. One
     * statement per {@value IdBatches#SIZE} datasets.
     */
    public List<DatasetVersion> newest(Collection<Long> datasetIds, int perDataset, int limit) {
        return newest(datasetIds, perDataset, limit, IdBatches.SIZE);
    }

    @SuppressWarnings("unchecked")
    List<DatasetVersion> newest(Collection<Long> datasetIds, int perDataset, int limit, int idsPerStatement) {
        List<DatasetVersion> newest = new ArrayList<>();
        for (List<Long> ids : IdBatches.of(datasetIds, idsPerStatement)) { // each batch's newest, then the newest of those
            newest.addAll(getEntityManager().createNativeQuery("""
                    SELECT v.* FROM dataset d CROSS JOIN LATERAL (
                        SELECT * FROM dataset_version w WHERE w.dataset_id = d.id ORDER BY w.seq DESC LIMIT :perDataset) v
                    WHERE d.id IN (:ids) ORDER BY v.committed_at DESC, v.dataset_id, v.seq DESC LIMIT :limit""", DatasetVersion.class)
                    .setParameter("ids", ids).setParameter("perDataset", perDataset).setParameter("limit", limit).getResultList());
        }
        newest.sort(NEWEST_FIRST);
        return List.copyOf(newest.subList(0, Math.min(limit, newest.size())));
    }

    public long countOf(Dataset dataset) {
        return count("datasetId", dataset.id);
    }

    /** The next commit sequence number of a dataset (one order over all its branches); call it under the dataset's lock. */
    public long nextSeq(Dataset dataset) {
        Number max = (Number) getEntityManager().createNativeQuery("SELECT coalesce(max(seq), 0) FROM dataset_version WHERE dataset_id = ?1")
                .setParameter(1, dataset.id).getSingleResult();
        return max.longValue() + 1;
    }

    /** Whether every version of the dataset was committed on main (then main's history is simply all of them, by seq). */
    public boolean onlyMain(Dataset dataset) {
        return count("datasetId = ?1 and branch <> 'main'", dataset.id) == 0;
    }

    private static final String CHAIN = "WITH RECURSIVE chain(hash, parent, depth) AS ("
            + "SELECT hash, parent, 0 FROM dataset_version WHERE dataset_id = ?1 AND hash = ?2 "
            + "UNION ALL SELECT v.hash, v.parent, c.depth + 1 FROM dataset_version v JOIN chain c ON v.dataset_id = ?1 AND v.hash = c.parent) ";

    /** One page of the first-parent chain that ends at {@code head}, newest first. */
    @SuppressWarnings("unchecked")
    public List<DatasetVersion> chain(Dataset dataset, String head, int page, int size) {
        if (head == null) {
            return List.of();
        }
        List<String> hashes = getEntityManager().createNativeQuery(CHAIN + "SELECT hash FROM chain ORDER BY depth LIMIT ?3 OFFSET ?4")
                .setParameter(1, dataset.id).setParameter(2, head).setParameter(3, size).setParameter(4, (long) page * size).getResultList();
        java.util.Map<String, DatasetVersion> byHash = new java.util.HashMap<>();
        if (!hashes.isEmpty()) {
            find("datasetId = ?1 and hash in ?2", dataset.id, hashes).list().forEach(v -> byHash.put(v.hash, v));
        }
        return hashes.stream().map(byHash::get).toList();
    }

    /**
     * The merge base of two versions: of their common ancestors (following both parents of merges), the one committed
     * last; empty when they share none.
     */
    public java.util.Optional<String> mergeBase(Dataset dataset, String a, String b) {
        String ancestors = "%s(hash) AS (SELECT CAST(?%d AS text) UNION SELECT p.hash FROM dataset_version v JOIN %s ON v.dataset_id = ?1 "
                + "AND v.hash = %s.hash CROSS JOIN LATERAL (VALUES (v.parent), (v.merge_parent)) AS p(hash) WHERE p.hash IS NOT NULL)";
        @SuppressWarnings("unchecked")
        List<String> found = getEntityManager().createNativeQuery("WITH RECURSIVE " + String.format(ancestors, "a", 2, "a", "a") + ", "
                + String.format(ancestors, "b", 3, "b", "b") + " SELECT v.hash FROM dataset_version v JOIN a ON v.hash = a.hash JOIN b "
                + "ON v.hash = b.hash WHERE v.dataset_id = ?1 ORDER BY v.seq DESC LIMIT 1")
                .setParameter(1, dataset.id).setParameter(2, a).setParameter(3, b).getResultList();
        return found.stream().findFirst();
    }

    /** How many versions the first-parent chain that ends at {@code head} holds. */
    public long chainLength(Dataset dataset, String head) {
        if (head == null) {
            return 0;
        }
        return ((Number) getEntityManager().createNativeQuery(CHAIN + "SELECT count(*) FROM chain").setParameter(1, dataset.id)
                .setParameter(2, head).getSingleResult()).longValue();
    }
}
