package io.dataline.deploy;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PromotionRepository implements PanacheRepository<Promotion> {

    public List<Promotion> newest(String model, int offset, int limit) {
        return find("model", Sort.descending("at", "id"), model).range(offset, offset + limit - 1).list();
    }

    /** The last move of the alias at or before {@code at}: what held the stage then. */
    public Optional<Promotion> asOf(String model, String stage, Instant at) {
        return find("model = ?1 and stage = ?2 and at <= ?3", Sort.descending("at", "id"), model, stage, at).firstResultOptional();
    }

    /**
     * The version a rollback of the stage returns to, walking the audit history back: each rollback undoes the latest
     * promotion not yet undone, so rolling back twice goes two promotions back, never to the version just left. Empty
     * when every promotion is undone down to the first.
     */
    public Optional<Integer> rollbackTarget(String model, String stage) {
        int undone = 0;
        for (Promotion move : find("model = ?1 and stage = ?2", Sort.descending("at", "id"), model, stage).list()) {
            if (move.rollback) {
                undone++;
            } else if (undone > 0) {
                undone--;
            } else {
                return Optional.ofNullable(move.previousVersion);
            }
        }
        return Optional.empty();
    }

    public Optional<Promotion> latest(String model, String stage) {
        return find("model = ?1 and stage = ?2", Sort.descending("at", "id"), model, stage).firstResultOptional();
    }
}
