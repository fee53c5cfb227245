package io.dataline.training;

import io.dataline.service.RegisteredVersion;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ModelVersionRepository implements PanacheRepositoryBase<ModelVersion, RegisteredVersion.Key> {

    public Optional<ModelVersion> find(String model, int version) {
        return findByIdOptional(new RegisteredVersion.Key(model, version));
    }

    public List<ModelVersion> versions(String model) {
        return find("model", Sort.descending("version"), model).list();
    }

    /** A model as its list shows it: the newest version's dataset, how many versions, the newest's number. */
    public record Summary(String model, String dataset, String datasetSlug, long versions, int latestVersion) {
    }

    /** Every model's summary, by name, in one query. */
    public List<Summary> summaries() {
        return getEntityManager().createQuery("select m.model, m.dataset, m.datasetSlug, m.version,"
                + " (select count(c) from ModelVersion c where c.model = m.model) from ModelVersion m"
                + " where m.version = (select max(v.version) from ModelVersion v where v.model = m.model) order by m.model", Object[].class)
                .getResultList().stream()
                .map(row -> new Summary((String) row[0], (String) row[1], (String) row[2], ((Number) row[4]).longValue(), (Integer) row[3]))
                .toList();
    }

    /** The next version number of a model; call inside the transaction that holds the model's registration lock. */
    public int nextVersion(String model) {
        Integer max = getEntityManager().createQuery("select max(m.version) from ModelVersion m where m.model = ?1", Integer.class)
                .setParameter(1, model).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    /** Serializes registrations of one model across transactions and instances (released at commit). */
    public void lockModel(String model) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1)").setParameter(1, (long) model.hashCode() ^ 0x4D4F44454CL)
                .getSingleResult();
    }
}
