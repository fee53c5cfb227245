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

    public List<String> models() {
        return getEntityManager().createQuery("select distinct m.model from ModelVersion m order by m.model", String.class).getResultList();
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
