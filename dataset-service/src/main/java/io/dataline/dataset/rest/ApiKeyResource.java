package io.dataline.dataset.rest;

import io.dataline.dataset.service.ApiKeyService;
import io.dataline.service.rest.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/** API key management (admin scope) and introspection for the other services (read scope). */
@Path("/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    @Inject
    ApiKeyService keys;

    /** The body of {@code POST /api-keys}. */
    public record CreateKey(String name, List<String> scopes, List<String> datasets) {
    }

    /** The body of {@code POST /api-keys/introspect}. */
    public record IntrospectRequest(String key) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateKey request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body is required: {\"name\": ..., \"scopes\": [...]}");
        }
        ApiKeyService.KeyView created = keys.create(request.name(), request.scopes(), request.datasets());
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    public List<ApiKeyService.KeyView> list() {
        return keys.list();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no API key with id " + id);
        }
        keys.revoke(uuid);
        return Response.noContent().build();
    }

    @POST
    @Path("introspect")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApiKeyService.Introspection introspect(IntrospectRequest request) {
        return keys.introspect(request == null ? null : request.key());
    }
}
