package io.dataline.console.board;

import io.dataline.console.api.Api;
import io.dataline.console.auth.Session;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The board's rows, read with the person's key: the latest commits of the datasets the key sees (or of one), on every
 * branch, each with its pipeline.
 */
@ApplicationScoped
public class Board {

    /** Rows on the board: the newest commits overall, a few per dataset, more when one dataset is picked. */
    static final int ROWS = 30;
    static final int PER_DATASET = 5;
    static final int ONE_DATASET = 30;
    /** How long a re-read waits for dataset-service to have recorded an event the feed already saw. */
    static final int CATCH_UP_TRIES = 20;

    private final Api api;

    Board(Api api) {
        this.api = api;
    }

    /** The datasets the key sees: slug and name. */
    public record DatasetName(String slug, String name) {
    }

    public CompletableFuture<List<DatasetName>> datasets(Session session) {
        return api.getAsync(session, Api.Service.DATASETS, "/datasets").thenApply(all -> {
            List<DatasetName> names = new ArrayList<>();
            all.forEach(d -> names.add(new DatasetName(d.path("slug").asText(), d.path("name").asText())));
            return names;
        });
    }

    /**
     * The rows: the newest commits on any branch, at most {@value #PER_DATASET} of one dataset (so a busy dataset does
     * not fill the board), or the newest {@value #ONE_DATASET} of the one picked; newest first. One request to
     * dataset-service whatever the number of datasets ({@code GET /pipelines}: each version with its pipeline).
     */
    public CompletableFuture<List<Row>> rows(Session session, String only) {
        String query = only == null ? "?limit=" + ROWS + "&perDataset=" + PER_DATASET
                : "?dataset=" + Api.segment(only) + "&limit=" + ONE_DATASET + "&perDataset=" + ONE_DATASET;
        return api.getAsync(session, Api.Service.DATASETS, "/pipelines" + query).thenApply(pipelines -> {
            List<Row> rows = new ArrayList<>();
            pipelines.forEach(pipeline -> rows.add(Row.of(pipeline.path("datasetSlug").asText(), pipeline)));
            return rows;
        });
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
