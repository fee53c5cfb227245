package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class OutboxEventRepository implements PanacheRepository<OutboxEvent> {

    /** The oldest unsent events, in the order they were written. */
    public List<OutboxEvent> unsent(int limit) {
        return find("sentAt is null", Sort.ascending("id")).page(0, limit).list();
    }
}
