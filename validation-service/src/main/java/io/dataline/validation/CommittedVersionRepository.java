package io.dataline.validation;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class CommittedVersionRepository implements PanacheRepository<CommittedVersion> {

    public Optional<CommittedVersion> findByVersion(String datasetSlug, String dataVersion) {
        return find("datasetSlug = ?1 and dataVersion = ?2", datasetSlug, dataVersion).firstResultOptional();
    }
}
