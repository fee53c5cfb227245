package io.dataline.console.board;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.console.api.Api;
import io.dataline.console.auth.Session;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The board's rows, read with the person's key: the latest commits of every dataset the key sees (or of one) on main
 * and the heads of its other branches, each with its pipeline. The calls for all datasets, then for all versions, go
 * out at once.
 */
@ApplicationScoped
public class Board {

    /** Rows on the board: the newest commits overall, a few per dataset, more when one dataset is picked. */
    static final int ROWS = 30;
    static final int PER_DATASET = 5;
    static final int ONE_DATASET = 30;
    /** Heads of branches other than main shown per dataset (their latest commit each). */
    static final int BRANCH_HEADS = 5;
    /** How long a re-read waits for dataset-service to have recorded an event the feed already saw. */
    static final int CATCH_UP_TRIES = 20;

    private final Api api;

    Board(Api api) {
        this.api = api;
    }

    /** The datasets the key sees: slug and name. */
    public record DatasetName(String slug, String name) {
    }

    public List<DatasetName> datasets(Session session) {
        List<DatasetName> names = new ArrayList<>();
        api.get(session, Api.Service.DATASETS, "/datasets")
                .forEach(d -> names.add(new DatasetName(d.path("slug").asText(), d.path("name").asText())));
        return names;
    }

    public List<Row> rows(Session session, List<DatasetName> datasets, String only) {
        List<String> slugs = datasets.stream().map(DatasetName::slug).filter(s -> only == null || s.equals(only)).toList();
        int perDataset = only == null ? PER_DATASET : ONE_DATASET;
        List<CompletableFuture<List<CompletableFuture<Row>>>> pages = new ArrayList<>();
        for (String slug : slugs) {
            String base = "/datasets/" + Api.segment(slug);
            CompletableFuture<JsonNode> branches = api.getAsync(session, Api.Service.DATASETS, base + "/branches");
            pages.add(api.getAsync(session, Api.Service.DATASETS, base + "/versions?size=" + perDataset).thenCombine(branches, (page, heads) -> {
                Set<String> versions = new LinkedHashSet<>();
                page.path("versions").forEach(v -> versions.add(v.path("hash").asText()));
                int others = 0;
                for (JsonNode branch : heads) { // the heads of other branches: their pipelines are pull requests' checks
                    if (!branch.path("name").asText().equals("main") && branch.path("version").isTextual() && others++ < BRANCH_HEADS) {
                        versions.add(branch.path("version").asText());
                    }
                }
                List<CompletableFuture<Row>> rows = new ArrayList<>();
                for (String version : versions) {
                    rows.add(api.getAsync(session, Api.Service.DATASETS, pipelinePath(slug, version)).thenApply(lineage -> Row.of(slug, lineage)));
                }
                return rows;
            }));
        }
        List<Row> rows = new ArrayList<>();
        for (var page : pages) {
            for (CompletableFuture<Row> row : Api.join(page)) {
                rows.add(Api.join(row));
            }
        }
        rows.sort(Comparator.comparing(Row::committedAt).reversed());
        return rows.subList(0, Math.min(rows.size(), only == null ? ROWS : ONE_DATASET));
    }

    /**
     * The row of a version after an event about it: dataset-service records the pipeline from the same topics, so it
     * is read again (briefly) until it shows what the event said.
     */
    Row after(Session session, FeedEvent event) throws InterruptedException {
        Row row = null;
        for (int attempt = 0; attempt < CATCH_UP_TRIES; attempt++) {
            row = Row.of(event.datasetSlug(), api.get(session, Api.Service.DATASETS, pipelinePath(event.datasetSlug(), event.dataVersion())));
            if (row.reflects(event.topic())) {
                return row;
            }
            Thread.sleep(100);
        }
        return row;
    }

    private static String pipelinePath(String slug, String version) {
        return "/datasets/" + Api.segment(slug) + "/versions/" + Api.segment(version) + "/pipeline";
    }
}
