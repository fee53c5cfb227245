package io.dataline.deploy;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class ModelStageRepository implements PanacheRepositoryBase<ModelStage, ModelStageId> {

    public Optional<ModelStage> staging(String model) {
        return findByIdOptional(new ModelStageId(model, ModelStage.STAGING));
    }

    /** Serializes every move of a model's aliases (event-driven and by hand) until the transaction ends. */
    public void lock(String model) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1)").setParameter(1, (long) model.hashCode() ^ 0x5354414745L)
                .getSingleResult();
    }

}
