package io.dataline.deploy;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PromotionIntentRepository implements PanacheRepositoryBase<PromotionIntent, UUID> {

    public PromotionIntent open(String model, Integer fromVersion, int toVersion, boolean rollback, String cause) {
        PromotionIntent intent = new PromotionIntent();
        intent.id = UUID.randomUUID();
        intent.state = PromotionIntent.PENDING;
        intent.model = model;
        intent.fromVersion = fromVersion;
        intent.toVersion = toVersion;
        intent.createdAt = now();
        intent.updatedAt = intent.createdAt;
        intent.rollback = rollback;
        intent.cause = cause;
        persist(intent);
        return intent;
    }

    /** Moves a pending intent on; an intent already settled keeps its state. */
    public void settle(UUID id, String state, String detail) {
        update("state = ?1, detail = ?2, updatedAt = ?3 where id = ?4 and state = ?5", state, detail, now(), id, PromotionIntent.PENDING);
    }

    /** Pending intents of one model (only this process's current one, or ones a dead process left). */
    public List<PromotionIntent> pending(String model) {
        return list("model = ?1 and state = ?2", model, PromotionIntent.PENDING);
    }

    /** Models with pending intents. */
    public List<String> modelsWithPending() {
        return getEntityManager().createQuery("select distinct i.model from PromotionIntent i where i.state = :state", String.class)
                .setParameter("state", PromotionIntent.PENDING).getResultList();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
