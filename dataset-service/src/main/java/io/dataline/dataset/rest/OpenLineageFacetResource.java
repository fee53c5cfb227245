package io.dataline.dataset.rest;

import io.dataline.service.rest.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * The JSON Schemas of Dataline's custom OpenLineage facets, where their {@code _schemaURL} points: public (no key), as a
 * schema URL must be for any catalog to resolve it.
 */
@Path("/openlineage/facets")
public class OpenLineageFacetResource {

    private static final Set<String> FACETS = Set.of("ModelMetricsDatasetFacet.json");

    @GET
    @Path("{name}")
    @Produces("application/schema+json")
    public byte[] facet(@PathParam("name") String name) throws IOException {
        if (!FACETS.contains(name)) {
            throw ProblemException.notFound("no facet schema " + name + " (known: " + FACETS + ")");
        }
        try (InputStream in = OpenLineageFacetResource.class.getResourceAsStream("/openlineage/" + name)) {
            return in.readAllBytes();
        }
    }
}
