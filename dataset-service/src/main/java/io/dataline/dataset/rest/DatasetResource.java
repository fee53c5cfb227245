package io.dataline.dataset.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.dataset.service.DatasetService;
import io.dataline.dataset.service.DatasetView;
import io.dataline.dataset.service.SchemaService;
import io.dataline.service.rest.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

/** Datasets, their record schema and their pipeline revisions. A dataset is named in paths by display name or slug. */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    @Inject
    DatasetService datasets;

    @Inject
    SchemaService schemas;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(DatasetService.CreateDataset request) {
        DatasetView created = datasets.create(request);
        return Response.created(UriBuilder.fromPath("/datasets/{slug}").build(created.slug())).entity(created).build();
    }

    @GET
    public List<DatasetView> list() {
        return datasets.list();
    }

    @GET
    @Path("{dataset}")
    public DatasetView get(@PathParam("dataset") String dataset) {
        return datasets.view(datasets.resolve(dataset));
    }

    @GET
    @Path("{dataset}/schema")
    public JsonNode schema(@PathParam("dataset") String dataset) {
        return datasets.schemaOf(datasets.resolve(dataset));
    }

    @GET
    @Path("{dataset}/schema/versions/{version}")
    public JsonNode schemaVersion(@PathParam("dataset") String dataset, @PathParam("version") String version) {
        try {
            return datasets.schemaVersion(datasets.resolve(dataset), Integer.parseInt(version));
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("no schema version \"" + version + "\" (versions are numbered 1, 2, ...)");
        }
    }

    @PUT
    @Path("{dataset}/schema")
    @Consumes(MediaType.APPLICATION_JSON)
    public DatasetView replaceSchema(@PathParam("dataset") String dataset, JsonNode schema) {
        return schemas.replace(dataset, schema);
    }

    @GET
    @Path("{dataset}/pipeline")
    public DatasetService.PipelineView pipeline(@PathParam("dataset") String dataset) {
        var found = datasets.resolve(dataset);
        return datasets.pipeline(found, found.pipelineRevision);
    }

    @PUT
    @Path("{dataset}/pipeline")
    @Consumes(MediaType.APPLICATION_JSON)
    public DatasetService.PipelineView replacePipeline(@PathParam("dataset") String dataset, JsonNode pipeline) {
        return datasets.putPipeline(dataset, pipeline);
    }

    @GET
    @Path("{dataset}/pipeline/revisions/{revision}")
    public DatasetService.PipelineView revision(@PathParam("dataset") String dataset, @PathParam("revision") String revision) {
        int number;
        try {
            number = Integer.parseInt(revision);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("no pipeline revision \"" + revision + "\" (revisions are numbered 1, 2, ...)");
        }
        return datasets.pipeline(datasets.resolve(dataset), number);
    }
}
