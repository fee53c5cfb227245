package io.dataline.dataset.rest;

import io.dataline.dataset.StagedChangeRepository;
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

/** The working area: stage upserts (JSON array or streamed NDJSON) and deletes, see and discard what is staged. */
@Path("/datasets/{dataset}")
@Produces(MediaType.APPLICATION_JSON)
public class RecordResource {

    public static final String NDJSON = "application/x-ndjson";

    @Inject
    StagingService staging;

    @POST
    @Path("records")
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    public StagingService.StageResult stage(@PathParam("dataset") String dataset, HttpHeaders headers, InputStream body) {
        MediaType type = headers.getMediaType();
        boolean ndjson = type != null && type.isCompatible(MediaType.valueOf(NDJSON));
        return staging.stage(dataset, body, ndjson);
    }

    @DELETE
    @Path("records/{key}")
    public Response delete(@PathParam("dataset") String dataset, @PathParam("key") String key) {
        staging.stageDelete(dataset, key);
        return Response.noContent().build();
    }

    @GET
    @Path("staged")
    public StagedChangeRepository.Counts staged(@PathParam("dataset") String dataset) {
        return staging.counts(dataset, null);
    }

    @DELETE
    @Path("staged")
    public Map<String, Long> discard(@PathParam("dataset") String dataset) {
        return Map.of("discarded", staging.discard(dataset, null));
    }
}
