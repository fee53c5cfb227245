package io.dataline.service.outbox;

import io.dataline.service.rest.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * Every service's parked outbox rows, for ops (admin scope): {@code GET /outbox/parked} lists them with the broker's
 * last refusal and how many events of the same key wait behind each; {@code POST /outbox/parked/{id}/replay} puts one
 * back in line once its cause is fixed. The gauge {@code dataline_outbox_parked} counts them for alerts.
 */
@Path("/outbox/parked")
@Produces(MediaType.APPLICATION_JSON)
public class OutboxResource {

    @Inject
    OutboxRelay relay;

    @GET
    public List<JdbcOutbox.Parked> parked() {
        return relay.parked();
    }

    @POST
    @Path("{id}/replay")
    public Map<String, Object> replay(@PathParam("id") String id) {
        long row;
        try {
            row = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("no parked outbox row " + id);
        }
        if (!relay.replay(row)) {
            throw ProblemException.notFound("no parked outbox row " + id);
        }
        return Map.of("replayed", row);
    }
}
