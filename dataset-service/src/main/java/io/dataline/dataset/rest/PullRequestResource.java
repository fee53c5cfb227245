package io.dataline.dataset.rest;

import io.dataline.dataset.service.PullRequests;
import io.dataline.dataset.service.VersionService;
import io.dataline.events.outbox.Traceparents;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Pull requests of a dataset: open, list, show, diff, conflicts, merge, close. */
@Path("/datasets/{dataset}/pulls")
@Produces(MediaType.APPLICATION_JSON)
public class PullRequestResource {

    /** The optional body of a merge: a side per conflicting key ({@code "into"} or {@code "from"}). */
    public record MergeRequest(Map<String, String> resolutions) {
    }

    /** The largest merge body read: 1 MiB of resolutions. */
    static final int MAX_MERGE_BODY = 1 << 20;

    @Inject
    PullRequests pulls;

    @Inject
    io.dataline.dataset.service.PullChecks checks;

    @Inject
    io.dataline.dataset.service.PullDiffs diffs;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response open(@PathParam("dataset") String dataset, PullRequests.NewPull request) {
        return Response.status(201).entity(pulls.open(dataset, request, Traceparents.current())).build();
    }

    @GET
    public List<PullRequests.PullView> list(@PathParam("dataset") String dataset, @QueryParam("state") String state) {
        return pulls.list(dataset, state);
    }

    @GET
    @Path("{number: [0-9]{1,9}}")
    public PullRequests.PullView show(@PathParam("dataset") String dataset, @PathParam("number") int number) {
        return pulls.get(dataset, number);
    }

    @GET
    @Path("{number: [0-9]{1,9}}/diff")
    public io.dataline.dataset.service.PullDiffs.PullDiff diff(@PathParam("dataset") String dataset, @PathParam("number") int number,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("" + VersionService.DEFAULT_DIFF_LIMIT) int limit, @QueryParam("key") String key) {
        return diffs.diff(dataset, number, offset, limit, key);
    }

    /** The pipeline's checks of the head of {@code from}: validation, the candidate model, the promotion gates' verdict. */
    @GET
    @Path("{number: [0-9]{1,9}}/checks")
    public io.dataline.dataset.service.PullChecks.ChecksView checks(@PathParam("dataset") String dataset, @PathParam("number") int number) {
        return checks.checks(dataset, number);
    }

    @GET
    @Path("{number: [0-9]{1,9}}/conflicts")
    public List<PullRequests.ConflictView> conflicts(@PathParam("dataset") String dataset, @PathParam("number") int number) {
        return pulls.conflicts(dataset, number);
    }

    /** Merges; the body ({@link MergeRequest}, JSON) is optional, so a bare {@code POST} with no content type merges too. */
    @POST
    @Path("{number: [0-9]{1,9}}/merge")
    public PullRequests.PullView merge(@PathParam("dataset") String dataset, @PathParam("number") int number, java.io.InputStream body) {
        MergeRequest request = null;
        try {
            byte[] bytes = body == null ? new byte[0] : body.readNBytes(MAX_MERGE_BODY + 1);
            if (bytes.length > MAX_MERGE_BODY) {
                throw new io.dataline.service.rest.ProblemException(413, "a merge body holds resolutions only: at most " + MAX_MERGE_BODY
                        + " bytes; commit a resolution on the branch instead of listing this many keys");
            }
            if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                request = null;
            } else {
                request = mapper.readValue(bytes, MergeRequest.class);
            }
        } catch (java.io.IOException e) {
            throw io.dataline.service.rest.ProblemException.badRequest("the body is not a JSON object {\"resolutions\": {key: \"into\"|\"from\"}}: "
                    + e.getMessage());
        }
        return pulls.merge(dataset, number, request == null ? null : request.resolutions(), Traceparents.current());
    }

    @POST
    @Path("{number: [0-9]{1,9}}/close")
    public PullRequests.PullView close(@PathParam("dataset") String dataset, @PathParam("number") int number) {
        return pulls.close(dataset, number, Traceparents.current());
    }
}
