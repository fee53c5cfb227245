package io.dataline.validation.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.service.rest.ProblemException;
import io.dataline.validation.ValidationReport;
import io.dataline.validation.ValidationReportRepository;
import io.dataline.validation.service.ValidationService;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Validation reports: newest first, one version's latest report, and re-validation on demand. */
@Path("/reports")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {

    static final int MAX_PAGE_SIZE = 500;

    @Inject
    ValidationReportRepository reports;

    @Inject
    ValidationService validation;

    @Inject
    ObjectMapper mapper;

    /** A report as the API shows it: summary, every check, every drift score. */
    public record ReportView(long id, String dataset, String datasetSlug, String dataVersion, String parent, String branch, String driftBase,
            int pipelineRevision,
            boolean passed, long recordCount, int checksRun, int checksFailed, JsonNode checks, JsonNode drift, JsonNode nullCounts,
            UUID causeEventId, Instant createdAt) {
    }

    /** One page of reports. */
    public record ReportPage(List<ReportView> reports, int page, int size, long total) {
    }

    @GET
    public ReportPage list(@QueryParam("dataset") String dataset, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw problem(422, "page >= 0 and 1 <= size <= " + MAX_PAGE_SIZE);
        }
        return new ReportPage(reports.page(dataset, page, size).stream().map(this::view).toList(), page, size, reports.countOf(dataset));
    }

    @GET
    @Path("{dataset}/{version}")
    public ReportView get(@PathParam("dataset") String dataset, @PathParam("version") String version) {
        return reports.latest(dataset, version).map(this::view)
                .orElseThrow(() -> problem(404, "no report for version " + version + " of \"" + dataset + "\""));
    }

    @POST
    @Path("{dataset}/{version}/rerun")
    public Response rerun(@PathParam("dataset") String dataset, @PathParam("version") String version) {
        return Response.status(Response.Status.CREATED).entity(view(validation.rerun(dataset, version))).build();
    }

    private ReportView view(ValidationReport report) {
        return new ReportView(report.id, report.dataset, report.datasetSlug, report.dataVersion, report.parent, report.branch, report.driftBase,
                report.pipelineRevision,
                report.passed, report.recordCount, report.checksRun, report.checksFailed, read(report.checksJson), read(report.driftJson),
                report.nullCountsJson == null ? null : read(report.nullCountsJson),
                report.causeEventId, report.createdAt);
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored report is corrupt", e);
        }
    }

    static ProblemException problem(int status, String detail) {
        return new ProblemException(status, detail);
    }
}
