package io.dataline.dataset.rest;

import io.dataline.dataset.service.WebhookService;
import io.dataline.dataset.service.WebhookService.DeliveryView;
import io.dataline.dataset.service.WebhookService.WebhookView;
import io.dataline.service.rest.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
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
import java.util.UUID;

/**
 * Every webhook the key may see ({@code GET /webhooks}); one webhook: get, delete, its delivery log
 * ({@code GET /webhooks/{id}/deliveries}) and redelivery. Registration and a dataset's list are in
 * {@link DatasetWebhookResource}. All of it needs a write key allowed on the webhook's dataset.
 */
@Path("/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    @Inject
    WebhookService webhooks;

    @GET
    public List<WebhookView> list() {
        return webhooks.list();
    }

    @GET
    @Path("{id}")
    public WebhookView get(@PathParam("id") String id) {
        return webhooks.get(uuid(id, "webhook"));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        webhooks.delete(uuid(id, "webhook"));
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    public List<DeliveryView> deliveries(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("50") int limit) {
        return webhooks.deliveries(uuid(id, "webhook"), limit);
    }

    @GET
    @Path("{id}/deliveries/{delivery}")
    public DeliveryView delivery(@PathParam("id") String id, @PathParam("delivery") String delivery) {
        return webhooks.delivery(uuid(id, "webhook"), uuid(delivery, "delivery"));
    }

    @POST
    @Path("{id}/deliveries/{delivery}/redeliver")
    public Response redeliver(@PathParam("id") String id, @PathParam("delivery") String delivery) {
        DeliveryView queued = webhooks.redeliver(uuid(id, "webhook"), uuid(delivery, "delivery"));
        return Response.accepted(queued).build();
    }

    private static UUID uuid(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no " + what + " with id " + id);
        }
    }
}
