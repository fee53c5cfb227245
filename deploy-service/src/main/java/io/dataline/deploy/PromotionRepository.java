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

    public Optional<Promotion> latest(String model, String stage) {
        return find("model = ?1 and stage = ?2", Sort.descending("at", "id"), model, stage).firstResultOptional();
    }
}
