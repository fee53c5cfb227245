package io.dataline.validation;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class OutboxEventRepository implements PanacheRepository<OutboxEvent> {

    public List<OutboxEvent> unsent(int limit) {
        return find("sentAt is null", Sort.ascending("id")).page(0, limit).list();
    }
}
