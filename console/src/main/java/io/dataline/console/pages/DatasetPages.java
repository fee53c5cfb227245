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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Datasets: the list, one dataset's commit log (per branch), a version with its pipeline, the records browser (pages
 * in key order, lookup by key) and the diff of two versions with each changed record's fields.
 */
@Path("/datasets")
@Produces(MediaType.TEXT_HTML)
public class DatasetPages {

    static final int LOG_PAGE = 50;
    static final int RECORDS_PAGE = 50;
    static final int DIFF_KEYS = 200;
    /** Changed records shown field by field on a diff page (compared by dataset-service in the same request). */
    static final int DIFF_DETAILS = 25;

    @TemplateData
    public record Field(String name, String value, boolean changed) {
    }

    @TemplateData
    public record RecordChange(String key, List<Field> before, List<Field> after) {
    }

    @TemplateData
    public record Page(int page, boolean previous, boolean next) {
    }

    @CheckedTemplate
    static class Templates {
        
        static native TemplateInstance datasets(Session session, J datasets);

        static native TemplateInstance dataset(Session session, J dataset, J branches, String branch, J versions, Page page);

        static native TemplateInstance version(Session session, J dataset, J version, J pipeline);

        static native TemplateInstance records(Session session, J dataset, J version, List<String> columns, List<List<String>> rows,
                long offset, long next, String key, boolean found);

        static native TemplateInstance diff(Session session, J dataset, J diff, List<RecordChange> changes);
    }

    @Inject
    Api api;

    @Inject
    SessionFilter.Current current;

    @GET
    public TemplateInstance datasets() {
        Session session = current.get();
        return Templates.datasets(session, J.of(api.get(session, Service.DATASETS, "/datasets")));
    }

    @GET
    @Path("{dataset}")
    public TemplateInstance dataset(@RestPath String dataset, @RestQuery String branch, @RestQuery int page) {
        Session session = current.get();
        String base = "/datasets/" + Api.segment(dataset);
        int at = Math.max(0, page);
        String query = "/versions?page=" + at + "&size=" + LOG_PAGE + (branch == null || branch.isBlank() ? "" : "&branch=" + Api.segment(branch));
        CompletableFuture<JsonNode> about = api.getAsync(session, Service.DATASETS, base);
        CompletableFuture<JsonNode> branches = api.getAsync(session, Service.DATASETS, base + "/branches");
        JsonNode versions = api.get(session, Service.DATASETS, base + query);
        return Templates.dataset(session, J.of(Api.join(about)), J.of(Api.join(branches)), branch == null || branch.isBlank() ? "main" : branch, J.of(versions),
                new Page(at, at > 0, (long) (at + 1) * LOG_PAGE < versions.path("total").asLong()));
    }

    @GET
    @Path("{dataset}/versions/{version}")
    public TemplateInstance version(@RestPath String dataset, @RestPath String version) {
        Session session = current.get();
        String base = "/datasets/" + Api.segment(dataset);
        CompletableFuture<JsonNode> about = api.getAsync(session, Service.DATASETS, base);
        CompletableFuture<JsonNode> pipeline = api.getAsync(session, Service.DATASETS, base + "/versions/" + Api.segment(version) + "/pipeline");
        JsonNode detail = api.get(session, Service.DATASETS, base + "/versions/" + Api.segment(version));
        return Templates.version(session, J.of(Api.join(about)), J.of(detail), J.of(Api.join(pipeline)));
    }

    @GET
    @Path("{dataset}/versions/{version}/records")
    public TemplateInstance records(@RestPath String dataset, @RestPath String version, @RestQuery long offset, @RestQuery String key) {
        Session session = current.get();
        String base = "/datasets/" + Api.segment(dataset);
        JsonNode about = api.get(session, Service.DATASETS, base);
        JsonNode detail = api.get(session, Service.DATASETS, base + "/versions/" + Api.segment(version));
        List<String> columns = columns(about);
        List<JsonNode> records;
        boolean lookup = key != null && !key.isBlank();
        long from = Math.max(0, offset);
        if (lookup) {
            records = api.find(session, Service.DATASETS, base + "/versions/" + Api.segment(detail.path("hash").asText()) + "/records/"
                    + Api.segment(key.strip())).map(List::of).orElse(List.of());
        } else {
            records = api.lines(session, Service.DATASETS, base + "/versions/" + Api.segment(detail.path("hash").asText()) + "/records?offset="
                    + from + "&limit=" + RECORDS_PAGE);
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode record : records) {
            List<String> cells = new ArrayList<>();
            columns.forEach(c -> cells.add(text(record.get(c))));
            rows.add(cells);
        }
        long next = lookup || from + RECORDS_PAGE >= detail.path("recordCount").asLong() ? -1 : from + RECORDS_PAGE;
        return Templates.records(session, J.of(about), J.of(detail), columns, rows, from, next, lookup ? key.strip() : null, !records.isEmpty());
    }

    @GET
    @Path("{dataset}/diff")
    public TemplateInstance diff(@RestPath String dataset, @RestQuery String from, @RestQuery String to) {
        Session session = current.get();
        String base = "/datasets/" + Api.segment(dataset);
        CompletableFuture<JsonNode> described = api.getAsync(session, Service.DATASETS, base);
        String query = base + "/diff?from=" + Api.segment(from == null ? "" : from) + "&to=" + Api.segment(to == null ? "latest" : to);
        JsonNode diff = api.get(session, Service.DATASETS, query + "&limit=" + DIFF_KEYS + "&compare=" + DIFF_DETAILS);
        JsonNode about = Api.join(described);
        List<RecordChange> changes = new ArrayList<>();
        List<String> columns = columns(about);
        diff.path("compared").forEach(record -> changes.add(change(record, columns)));
        return Templates.diff(session, J.of(about), J.of(diff), changes);
    }

    /** Both sides of a changed record, every column, the changed ones marked. */
    static RecordChange change(JsonNode record, List<String> columns) {
        List<String> changed = new ArrayList<>();
        record.path("fields").forEach(f -> changed.add(f.path("field").asText()));
        List<String> names = new ArrayList<>(columns);
        changed.stream().filter(c -> !names.contains(c)).forEach(names::add);
        List<Field> before = new ArrayList<>();
        List<Field> after = new ArrayList<>();
        for (String name : names) {
            before.add(new Field(name, text(record.path("base").get(name)), changed.contains(name)));
            after.add(new Field(name, text(record.path("head").get(name)), changed.contains(name)));
        }
        return new RecordChange(text(record.path("key")), before, after);
    }

    /** The schema's properties, primary key first. */
    static List<String> columns(JsonNode dataset) {
        List<String> columns = new ArrayList<>();
        String key = dataset.path("primaryKey").asText();
        columns.add(key);
        dataset.path("schema").path("properties").fieldNames().forEachRemaining(name -> {
            if (!name.equals(key)) {
                columns.add(name);
            }
        });
        return columns;
    }

    static String text(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? "" : value.isTextual() ? value.asText() : value.toString();
    }
}
