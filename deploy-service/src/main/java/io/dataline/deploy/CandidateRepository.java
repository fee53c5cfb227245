package io.dataline.deploy;

import io.dataline.service.RegisteredVersion;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class CandidateRepository implements PanacheRepositoryBase<Candidate, RegisteredVersion.Key> {

    public Optional<Candidate> find(String model, int version) {
        return findByIdOptional(new RegisteredVersion.Key(model, version));
    }
}
