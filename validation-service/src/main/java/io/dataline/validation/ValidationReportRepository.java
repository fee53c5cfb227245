package io.dataline.validation;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ValidationReportRepository implements PanacheRepository<ValidationReport> {

    /** The newest report of a version (by slug or display name). */
    public Optional<ValidationReport> latest(String dataset, String dataVersion) {
        return find("(datasetSlug = ?1 or dataset = ?1) and dataVersion = ?2", Sort.descending("id"), dataset, dataVersion)
                .firstResultOptional();
    }

    /** Newest first, optionally of one dataset (slug or display name). */
    public List<ValidationReport> page(String dataset, int page, int size) {
        var query = dataset == null ? findAll(Sort.descending("id")) : find("datasetSlug = ?1 or dataset = ?1", Sort.descending("id"), dataset);
        return query.page(Page.of(page, size)).list();
    }

    public long countOf(String dataset) {
        return dataset == null ? count() : count("datasetSlug = ?1 or dataset = ?1", dataset);
    }
}
