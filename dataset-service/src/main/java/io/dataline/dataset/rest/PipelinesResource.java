package io.dataline.dataset.rest;

import io.dataline.dataset.service.LineageService;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The pipelines of the newest commits across every dataset the key may use (or one): what a board of many datasets
 * shows, in one request instead of one per dataset and one per version.
 */
@Path("/pipelines")
@Produces(MediaType.APPLICATION_JSON)
public class PipelinesResource {

    @Inject
    LineageService lineage;

    @GET
    public List<LineageService.Recent> recent(@QueryParam("dataset") String dataset, @QueryParam("limit") @DefaultValue("30") int limit,
            @QueryParam("perDataset") @DefaultValue("5") int perDataset) {
        return lineage.recent(dataset, limit, perDataset);
    }
}
