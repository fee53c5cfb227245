package io.dataline.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.console.api.Api;
import io.dataline.console.api.Api.Service;
import io.dataline.console.auth.Session;
import io.dataline.console.auth.SessionFilter;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

/**
 * A version's validation report: every check with its offending keys, and each drift field's scores with the base
 * version's and this version's distribution drawn side by side.
 */
@Path("/datasets/{dataset}/versions/{version}/validation")
@Produces(MediaType.TEXT_HTML)
public class ValidationPage {

    /** One drift field: its scores and the chart's data (null when the report kept no distribution). */
    @TemplateData
    public record DriftView(J drift, String chart) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance report(Session session, J dataset, J report, List<DriftView> drift);
    }

    @Inject
    Api api;

    @Inject
    SessionFilter.Current current;

    @GET
    public TemplateInstance report(@RestPath String dataset, @RestPath String version) {
        Session session = current.get();
        JsonNode about = api.get(session, Service.DATASETS, "/datasets/" + Api.segment(dataset));
        String hash = api.get(session, Service.DATASETS, "/datasets/" + Api.segment(dataset) + "/versions/" + Api.segment(version)).path("hash").asText();
        JsonNode report = api.get(session, Service.VALIDATION, "/reports/" + Api.segment(about.path("slug").asText()) + "/" + Api.segment(hash));
        List<DriftView> drift = new ArrayList<>();
        for (JsonNode field : report.path("drift")) {
            drift.add(new DriftView(J.of(field), Charts.distribution(field, report.path("driftBase").asText(""))));
        }
        return Templates.report(session, J.of(about), J.of(report), drift);
    }
}
