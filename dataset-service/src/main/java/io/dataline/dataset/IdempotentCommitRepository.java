package io.dataline.dataset;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class IdempotentCommitRepository implements PanacheRepositoryBase<IdempotentCommit, IdempotentCommit.Key> {

    public Optional<IdempotentCommit> find(Dataset dataset, String apiKey, String key) {
        return find("datasetId = ?1 and apiKey = ?2 and idemKey = ?3", dataset.id, apiKey, key).firstResultOptional();
    }
}
