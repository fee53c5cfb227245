package io.dataline.dataset.rest;

import io.dataline.dataset.service.CommitService;
import io.dataline.dataset.service.LineageService;
import io.dataline.dataset.service.RecordReads;
import io.dataline.dataset.service.VersionService;
import io.dataline.dataset.service.VersionView;
import io.dataline.events.outbox.Traceparents;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriBuilder;

/** Commits, the version history, record exports, diffs and each version's pipeline (lineage). */
@Path("/datasets/{dataset}")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {

    public static final String CSV = "text/csv";

    @Inject
    CommitService commits;

    @Inject
    VersionService versions;

    @Inject
    LineageService lineage;

    @Inject
    RecordReads records;

    /**
     * A version diff; with {@code ?key=} that key's record in both versions, field by field; with {@code ?compare=N} the
     * first N changed keys of the page ({@code changed}) the same way, in {@code compared}.
     */
    public record DiffView(String from, String to, java.util.List<com.fasterxml.jackson.databind.JsonNode> added,
            java.util.List<com.fasterxml.jackson.databind.JsonNode> removed, java.util.List<com.fasterxml.jackson.databind.JsonNode> changed,
            long addedCount, long removedCount, long changedCount, boolean truncated, RecordReads.KeyChange record,
            java.util.List<RecordReads.KeyChange> compared) {
    }

    /** The most changed keys one diff request compares field by field. */
    static final int MAX_COMPARE = 100;

    @POST
    @Path("commits")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response commit(@PathParam("dataset") String dataset, @HeaderParam("Idempotency-Key") String idempotencyKey,
            io.dataline.dataset.service.CommitRequest request) {
        long started = System.nanoTime();
        CommitService.Committed committed = commits.commit(dataset, request, idempotencyKey, Traceparents.current());
        return created(dataset, committed, started);
    }

    /**
     * A one-shot commit: an NDJSON body of records becomes the next version directly (no staging area). The commit's
     * fields come as query parameters; {@code mode=upsert} (default) applies the records to the head, {@code mode=replace}
     * makes them the whole version.
     */
    @POST
    @Path("commits")
    @Consumes(RecordResource.NDJSON)
    public Response commitRecords(@PathParam("dataset") String dataset, @HeaderParam("Idempotency-Key") String idempotencyKey,
            @QueryParam("message") String message, @QueryParam("author") String author, @QueryParam("expectedParent") String expectedParent,
            @QueryParam("codeCommit") String codeCommit, @QueryParam("changeset") String changeset,
            @QueryParam("mode") @DefaultValue("upsert") String mode, java.io.InputStream body) {
        if (!"upsert".equals(mode) && !"replace".equals(mode)) {
            throw io.dataline.service.rest.ProblemException.invalid("unknown mode", "/query/mode", "upsert (the default) or replace");
        }
        long started = System.nanoTime();
        CommitService.Committed committed = commits.commitRecords(dataset, new io.dataline.dataset.service.CommitRequest(message, author, expectedParent,
                codeCommit, changeset), "replace".equals(mode), idempotencyKey, Traceparents.current(), body);
        return created(dataset, committed, started);
    }

    static Response created(String dataset, CommitService.Committed committed, long started) {
        double millis = (System.nanoTime() - started) / 1_000_000.0;
        return Response.created(UriBuilder.fromPath("/datasets/{dataset}/versions/{hash}").build(dataset, committed.version().hash()))
                .header("Idempotent-Replayed", committed.replayed())
                // the server's own time for the commit (W3C Server-Timing), what the benchmarks report as commit latency, and
                // its chunk reads (from the cache or the store), fetches (from the store) and writes, the capacity model's inputs;
                // the time it waited for chunk fetches and inserts, and what the inserts took (more when writer threads
                // inserted batches while the commit went on)
                .header("Server-Timing", String.format(java.util.Locale.ROOT,
                        "commit;dur=%.3f, chunk-reads;desc=\"%d\", chunk-fetches;desc=\"%d\", chunk-writes;desc=\"%d\", "
                                + "chunk-fetch;dur=%.3f, chunk-write;dur=%.3f, chunk-inserts;dur=%.3f", millis,
                        committed.chunks().read(), committed.chunks().fetched(), committed.chunks().written(),
                        committed.chunks().fetchNanos() / 1e6, committed.chunks().writeNanos() / 1e6, committed.chunks().writerNanos() / 1e6)
                        // a one-shot commit: the part of it spent reading, checking and sorting the body
                        + (committed.intakeNanos() > 0 ? String.format(java.util.Locale.ROOT, ", intake;dur=%.3f", committed.intakeNanos() / 1e6) : ""))
                .entity(committed.version()).build();
    }

    @GET
    @Path("versions")
    public VersionService.VersionPage history(@PathParam("dataset") String dataset, @QueryParam("branch") String branch,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        return versions.page(dataset, branch, page, size);
    }

    @GET
    @Path("versions/{version}")
    public VersionView version(@PathParam("dataset") String dataset, @PathParam("version") String version) {
        return versions.get(dataset, version);
    }

    @GET
    @Path("versions/{version}/records")
    @Produces({RecordResource.NDJSON, CSV})
    public Response records(@PathParam("dataset") String dataset, @PathParam("version") String version,
            @HeaderParam("Accept") String accept, @QueryParam("format") String format, @QueryParam("offset") Long offset,
            @QueryParam("limit") Integer limit) {
        VersionService.Snapshot snapshot = versions.snapshot(dataset, version);
        boolean csv = "csv".equals(format) || (format == null && accept != null && accept.contains(CSV) && !accept.contains(RecordResource.NDJSON));
        StreamingOutput body = csv ? out -> versions.writeCsv(snapshot, out) : out -> versions.writeNdjson(snapshot, out);
        if (offset != null || limit != null) { // one page of the records in key order (NDJSON): the records browser
            long from = offset == null ? 0 : offset;
            int size = limit == null ? 50 : limit;
            if (csv || from < 0 || size < 1 || size > RecordReads.MAX_SLICE) {
                throw io.dataline.service.rest.ProblemException.invalid("invalid page", "/query", "NDJSON, offset >= 0 and 1 <= limit <= "
                        + RecordReads.MAX_SLICE);
            }
            body = out -> records.writeSlice(snapshot.version(), from, size, out);
        }
        return Response.ok(body, csv ? CSV + "; charset=utf-8" : RecordResource.NDJSON)
                .header("X-Dataline-Version", snapshot.version().hash)
                .header("X-Dataline-Record-Count", snapshot.version().recordCount)
                .build();
    }

    @GET
    @Path("versions/{version}/records/{key}")
    public com.fasterxml.jackson.databind.JsonNode record(@PathParam("dataset") String dataset, @PathParam("version") String version,
            @PathParam("key") String key) {
        return records.record(dataset, version, key);
    }

    @GET
    @Path("versions/{version}/pipeline")
    public LineageService.Lineage pipeline(@PathParam("dataset") String dataset, @PathParam("version") String version) {
        return lineage.lineage(dataset, version);
    }

    @GET
    @Path("diff")
    public DiffView diff(@PathParam("dataset") String dataset, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("" + VersionService.DEFAULT_DIFF_LIMIT) int limit, @QueryParam("key") String key,
            @QueryParam("compare") @DefaultValue("0") int compare) {
        if (compare < 0 || compare > MAX_COMPARE) {
            throw io.dataline.service.rest.ProblemException.invalid("invalid compare", "/query/compare", "how many changed keys to compare, 0 to " + MAX_COMPARE);
        }
        VersionService.Diff diff = versions.diff(dataset, from, to, offset, limit);
        java.util.List<RecordReads.KeyChange> compared = compare == 0 ? null
                : records.compareAll(dataset, diff.from(), diff.to(), diff.changed().subList(0, Math.min(compare, diff.changed().size())));
        return new DiffView(diff.from(), diff.to(), diff.added(), diff.removed(), diff.changed(), diff.addedCount(), diff.removedCount(),
                diff.changedCount(), diff.truncated(), key == null ? null : records.compare(dataset, diff.from(), diff.to(), key), compared);
    }

}
