package io.dataline.validation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Test view of the reports this service stored, read in fresh transactions. */
@ApplicationScoped
public class Reports {

    @Inject
    ValidationReportRepository repository;

    public List<ValidationReport> of(String slug, String version) {
        return QuarkusTransaction.requiringNew().call(() -> repository.list("datasetSlug = ?1 and dataVersion = ?2", slug, version));
    }
}
