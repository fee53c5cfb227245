package io.dataline.validation;

import static org.awaitility.Awaitility.await;

import io.dataline.testsupport.DatasetServiceApi;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

/** Test view of the reports this service stored, read in fresh transactions. */
@ApplicationScoped
public class Reports {

    @Inject
    ValidationReportRepository repository;

    public List<ValidationReport> of(String slug, String version) {
        return QuarkusTransaction.requiringNew().call(() -> repository.list("datasetSlug = ?1 and dataVersion = ?2", slug, version));
    }

    /** A new dataset (default rules) whose first version, one record, was committed and validated. */
    public record Validated(String name, String slug, String version) {
    }

    public Validated oneValidatedVersion(String prefix) {
        String name = DatasetServiceApi.uniqueName(prefix);
        String slug = DatasetServiceApi.create(name, null);
        String version = DatasetServiceApi.commit(name, List.of(DatasetServiceApi.record("a", "x", "positive")), null);
        await().atMost(Duration.ofSeconds(60)).until(() -> of(slug, version).size() == 1);
        return new Validated(name, slug, version);
    }
}
