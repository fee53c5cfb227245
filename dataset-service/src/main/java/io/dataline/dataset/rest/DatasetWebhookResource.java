package io.dataline.dataset.rest;

import io.dataline.dataset.service.WebhookService;
import io.dataline.dataset.service.WebhookService.CreateWebhook;
import io.dataline.dataset.service.WebhookService.WebhookView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The webhooks of a dataset: register ({@code POST /datasets/{name}/webhooks}) and list. Needs a write key. */
@Path("/datasets/{name}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetWebhookResource {

    @Inject
    WebhookService webhooks;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("name") String name, CreateWebhook request) {
        WebhookView created = webhooks.create(name, request);
        return Response.status(Response.Status.CREATED).header("Location", "/webhooks/" + created.id()).entity(created).build();
    }

    @GET
    public List<WebhookView> list(@PathParam("name") String name) {
        return webhooks.list(name);
    }

}
