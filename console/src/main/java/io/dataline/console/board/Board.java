package io.dataline.console.board;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.console.api.Api;
import io.dataline.console.auth.Session;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The board's rows, read with the person's key: the latest commits of every dataset the key sees (or of one) on main
 * and the heads of its other branches, each with its pipeline. The calls for all datasets go out at once, then those
 * for the pipelines of the versions that make the board.
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
        int shown = only == null ? ROWS : ONE_DATASET;
        List<CompletableFuture<List<Candidate>>> pages = new ArrayList<>();
        for (String slug : slugs) {
            String base = "/datasets/" + Api.segment(slug);
            CompletableFuture<JsonNode> branches = api.getAsync(session, Api.Service.DATASETS, base + "/branches");
            pages.add(api.getAsync(session, Api.Service.DATASETS, base + "/versions?size=" + perDataset).thenCombine(branches,
                    (page, heads) -> candidates(slug, page, heads)));
        }
        List<Candidate> all = new ArrayList<>();
        pages.forEach(page -> all.addAll(Api.join(page)));
        List<CompletableFuture<Row>> rows = new ArrayList<>();
        for (Candidate candidate : chosen(all, shown)) {
            rows.add(api.getAsync(session, Api.Service.DATASETS, pipelinePath(candidate.slug(), candidate.version()))
                    .thenApply(lineage -> Row.of(candidate.slug(), lineage)));
        }
        List<Row> shownRows = new ArrayList<>(rows.stream().map(Api::join).toList());
        shownRows.sort(Comparator.comparing(Row::committedAt).reversed());
        return shownRows.subList(0, Math.min(shownRows.size(), shown));
    }

    /** A version that may get a row: from a dataset's newest page (with its commit time) or a branch head (time unknown). */
    record Candidate(String slug, String version, Instant committedAt) {
    }

    /** A dataset's newest versions on its page, then the heads of its other branches, each once. */
    static List<Candidate> candidates(String slug, JsonNode page, JsonNode heads) {
        Map<String, Candidate> versions = new LinkedHashMap<>();
        page.path("versions").forEach(v -> versions.putIfAbsent(v.path("hash").asText(), new Candidate(slug, v.path("hash").asText(),
                instant(v.path("committedAt").asText()))));
        int others = 0;
        for (JsonNode branch : heads) { // the heads of other branches: their pipelines are pull requests' checks
            if (!branch.path("name").asText().equals("main") && branch.path("version").isTextual() && others++ < BRANCH_HEADS) {
                versions.putIfAbsent(branch.path("version").asText(), new Candidate(slug, branch.path("version").asText(), null));
            }
        }
        return new ArrayList<>(versions.values());
    }

    /**
     * Whose pipelines are read: of the versions with a known commit time only the {@code shown} newest (no other can
     * make the board, since the board shows the newest), and every branch head, whose time only its pipeline tells. So a
     * board of many datasets reads 30 pipelines, not five per dataset.
     */
    static List<Candidate> chosen(List<Candidate> all, int shown) {
        List<Candidate> chosen = new ArrayList<>(all.stream().filter(c -> c.committedAt() != null)
                .sorted(Comparator.comparing(Candidate::committedAt).reversed()).limit(shown).toList());
        all.stream().filter(c -> c.committedAt() == null).forEach(chosen::add);
        return chosen;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null; // read its pipeline, as a branch head's
        }
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
