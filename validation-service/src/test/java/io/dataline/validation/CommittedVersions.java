package io.dataline.validation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Test view of what this service has stored, read in fresh transactions. */
@ApplicationScoped
public class CommittedVersions {

    @Inject
    CommittedVersionRepository repository;

    public List<CommittedVersion> ofDataset(String dataset) {
        return QuarkusTransaction.requiringNew().call(() -> repository.list("dataset", dataset));
    }
}
