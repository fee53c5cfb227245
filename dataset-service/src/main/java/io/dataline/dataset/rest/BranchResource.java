package io.dataline.dataset.rest;

import io.dataline.dataset.RefRepository;
import io.dataline.dataset.StagedChangeRepository;
import io.dataline.dataset.service.Branches;
import io.dataline.dataset.service.CommitRequest;
import io.dataline.dataset.service.CommitService;
import io.dataline.dataset.service.StagingService;
import io.dataline.events.outbox.Traceparents;
import io.dataline.service.rest.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Branches and tags: {@code /datasets/{dataset}/branches} (create from a branch, tag or version; list; show; delete)
 * with each branch's own staging area and commits ({@code /branches/{branch}/records}, {@code /commits}, as the
 * dataset-level endpoints, which mean {@code main}), and {@code /datasets/{dataset}/tags}. Branch names may hold
 * {@code /} ({@code team/relabel}): the routes below take the longest match, and no name segment may be one of the
 * sub-resource words.
 */
@Path("/datasets/{dataset}")
@Produces(MediaType.APPLICATION_JSON)
public class BranchResource {

    @Inject
    Branches branches;

    @Inject
    StagingService staging;

    @Inject
    CommitService commits;

    private static RefRepository.Kind kind(String path) {
        return "tags".equals(path) ? RefRepository.Kind.TAG : RefRepository.Kind.BRANCH;
    }

    @POST
    @Path("{kind: branches|tags}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("dataset") String dataset, @PathParam("kind") String kind, Branches.NewRef request) {
        return Response.status(201).entity(branches.create(kind(kind), dataset, request)).build();
    }

    @GET
    @Path("{kind: branches|tags}")
    public List<Branches.RefView> list(@PathParam("dataset") String dataset, @PathParam("kind") String kind) {
        return branches.list(kind(kind), dataset);
    }

    @GET
    @Path("{kind: branches|tags}/{name: .+}")
    public Branches.RefView show(@PathParam("dataset") String dataset, @PathParam("kind") String kind, @PathParam("name") String name) {
        return branches.show(kind(kind), dataset, name);
    }

    /** Deletes a branch (its versions stay); tags are immutable (409). */
    @DELETE
    @Path("{kind: branches|tags}/{name: .+}")
    public Map<String, Object> delete(@PathParam("dataset") String dataset, @PathParam("kind") String kind, @PathParam("name") String name) {
        if (kind(kind) == RefRepository.Kind.TAG) {
            throw ProblemException.conflict("tags are immutable: \"" + name + "\" always names the same version");
        }
        return Map.of("deleted", name, "discardedStagedChanges", branches.deleteBranch(dataset, name));
    }

    @POST
    @Path("branches/{branch: .+}/records")
    @Consumes({MediaType.APPLICATION_JSON, RecordResource.NDJSON})
    public StagingService.StageResult stage(@PathParam("dataset") String dataset, @PathParam("branch") String branch, HttpHeaders headers,
            InputStream body) {
        MediaType type = headers.getMediaType();
        return staging.stage(dataset, branch, null, body, type != null && type.isCompatible(MediaType.valueOf(RecordResource.NDJSON)));
    }

    @DELETE
    @Path("branches/{branch: .+}/records/{key}")
    public Response deleteRecord(@PathParam("dataset") String dataset, @PathParam("branch") String branch, @PathParam("key") String key) {
        staging.stageDelete(dataset, branch, null, key);
        return Response.noContent().build();
    }

    @GET
    @Path("branches/{branch: .+}/staged")
    public StagedChangeRepository.Counts staged(@PathParam("dataset") String dataset, @PathParam("branch") String branch) {
        return staging.counts(dataset, branch);
    }

    @DELETE
    @Path("branches/{branch: .+}/staged")
    public Map<String, Long> discard(@PathParam("dataset") String dataset, @PathParam("branch") String branch) {
        return Map.of("discarded", staging.discard(dataset, branch));
    }

    @POST
    @Path("branches/{branch: .+}/commits")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response commit(@PathParam("dataset") String dataset, @PathParam("branch") String branch,
            @HeaderParam("Idempotency-Key") String idempotencyKey, CommitRequest request) {
        long started = System.nanoTime();
        return VersionResource.created(dataset, commits.commit(dataset, branch, request, idempotencyKey, Traceparents.current()), started);
    }

    /** A one-shot commit to the branch: as {@code POST /datasets/{dataset}/commits} with an NDJSON body. */
    @POST
    @Path("branches/{branch: .+}/commits")
    @Consumes(RecordResource.NDJSON)
    public Response commitRecords(@PathParam("dataset") String dataset, @PathParam("branch") String branch,
            @HeaderParam("Idempotency-Key") String idempotencyKey, @QueryParam("message") String message, @QueryParam("author") String author,
            @QueryParam("expectedParent") String expectedParent, @QueryParam("codeCommit") String codeCommit,
            @QueryParam("mode") @DefaultValue("upsert") String mode, InputStream body) {
        if (!"upsert".equals(mode) && !"replace".equals(mode)) {
            throw ProblemException.invalid("unknown mode", "/query/mode", "upsert (the default) or replace");
        }
        long started = System.nanoTime();
        CommitService.Committed committed = commits.commitRecords(dataset, branch, new CommitRequest(message, author, expectedParent, codeCommit),
                "replace".equals(mode), idempotencyKey, Traceparents.current(), body);
        return VersionResource.created(dataset, committed, started);
    }
}
