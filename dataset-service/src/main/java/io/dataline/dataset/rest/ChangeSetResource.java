package io.dataline.dataset.rest;

import io.dataline.dataset.service.ChangeSets;
import io.dataline.dataset.service.StagingService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;

/**
 * Change sets: a working area the calling API key owns. Open one, stage records and deletes into it (the same bodies
 * as the shared area's), commit it with {@code POST /commits {"changeset": id, ...}} or discard it. Another key's
 * change set, or one that ended, answers 404.
 */
@Path("/datasets/{dataset}/changesets")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeSetResource {

    @Inject
    ChangeSets changeSets;

    @Inject
    StagingService staging;

    @POST
    public Response open(@PathParam("dataset") String dataset, @jakarta.ws.rs.QueryParam("branch") String branch) {
        ChangeSets.ChangeSetView opened = changeSets.open(dataset, branch);
        return Response.status(201).entity(opened).build();
    }

    @GET
    @Path("{id}")
    public ChangeSets.ChangeSetView show(@PathParam("dataset") String dataset, @PathParam("id") String id) {
        return changeSets.show(dataset, id);
    }

    @DELETE
    @Path("{id}")
    public Map<String, Long> discard(@PathParam("dataset") String dataset, @PathParam("id") String id) {
        return Map.of("discarded", changeSets.discard(dataset, id));
    }

    @POST
    @Path("{id}/records")
    @Consumes({MediaType.APPLICATION_JSON, RecordResource.NDJSON})
    public StagingService.StageResult stage(@PathParam("dataset") String dataset, @PathParam("id") String id, HttpHeaders headers,
            InputStream body) {
        MediaType type = headers.getMediaType();
        return staging.stage(dataset, id, body, type != null && type.isCompatible(MediaType.valueOf(RecordResource.NDJSON)));
    }

    @DELETE
    @Path("{id}/records/{key}")
    public Response delete(@PathParam("dataset") String dataset, @PathParam("id") String id, @PathParam("key") String key) {
        staging.stageDelete(dataset, id, key);
        return Response.noContent().build();
    }
}
