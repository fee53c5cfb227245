package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
public class ChangeSetRepository implements PanacheRepositoryBase<ChangeSet, UUID> {

    @Inject
    StagedChangeVacuum vacuum;

    /** Discards every change set idle since before {@code cutoff}, with its staged changes; how many there were. */
    public int expire(Instant cutoff) {
        vacuum.discarded(getEntityManager().createNativeQuery("""
                DELETE FROM staged_change s USING change_set c WHERE s.dataset_id = c.dataset_id AND s.change_set = c.id
                AND c.last_used_at < ?1""").setParameter(1, cutoff).executeUpdate());
        return getEntityManager().createNativeQuery("DELETE FROM change_set WHERE last_used_at < ?1").setParameter(1, cutoff).executeUpdate();
    }
}
