package io.dataline.dataset.rest;

import io.dataline.dataset.service.LineageService;
import io.dataline.service.rest.ProblemException;
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
    public List<LineageService.Recent> recent(@QueryParam("dataset") String dataset, @QueryParam("limit") @DefaultValue("30") String limit,
            @QueryParam("perDataset") @DefaultValue("5") String perDataset) {
        return lineage.recent(dataset, number("limit", limit), number("perDataset", perDataset));
    }

    /** A count from the query: not a number is a 422 naming it (as JAX-RS would answer 404 for an int parameter). */
    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name + " must be a whole number", "/query/" + name, "not a number: " + value);
        }
    }
}
