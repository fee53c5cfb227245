package io.dataline.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.console.api.Api;
import io.dataline.console.api.Api.Service;
import io.dataline.console.auth.Session;
import io.dataline.console.auth.SessionFilter;
import io.dataline.console.auth.Sessions;
import io.dataline.events.kafka.DeadLetters;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import io.smallrye.common.annotation.Identifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Operations: the dead-letter topics with each record's reason and a replay (admin keys), and every webhook with its
 * latest deliveries and a redelivery (admin keys). Dead letters name datasets by key, so they are shown to keys that
 * see every dataset; webhooks to write keys (dataset-service's rule: their URLs may carry secrets).
 */
@Path("/operations")
@Produces(MediaType.TEXT_HTML)
public class OperationsPage {

    static final int DELIVERIES = 10;

    /** Dead letters shown per partition of a topic: the latest. */
    static final int LATEST_LETTERS = 100;

    @TemplateData
    public record DeadLetterTopic(String name, List<DeadLetters.Letter> letters, long total) {
    }

    @TemplateData
    public record Hook(J webhook, J deliveries) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance operations(Session session, boolean seesDeadLetters, List<DeadLetterTopic> deadLetters,
                boolean seesWebhooks, List<Hook> webhooks, String done);
    }

    private final Api api;
    private final SessionFilter.Current current;
    private final DeadLetters deadLetters;

    OperationsPage(Api api, SessionFilter.Current current, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.api = api;
        this.current = current;
        this.deadLetters = new DeadLetters(kafka);
    }

    @GET
    public TemplateInstance operations(@org.jboss.resteasy.reactive.RestQuery String done) {
        Session session = current.get();
        boolean seesWebhooks = session.may("write"); // their URLs may carry what a reader should not see
        List<JsonNode> hooks = new ArrayList<>();
        List<CompletableFuture<JsonNode>> deliveries = new ArrayList<>();
        // every webhook the key may see in one call, then each one's latest deliveries, all at once
        for (JsonNode hook : seesWebhooks ? api.get(session, Service.DATASETS, "/webhooks") : com.fasterxml.jackson.databind.node.MissingNode.getInstance()) {
            hooks.add(hook);
            deliveries.add(api.getAsync(session, Service.DATASETS, "/webhooks/" + Api.segment(hook.path("id").asText()) + "/deliveries?limit="
                    + DELIVERIES));
        }
        List<Hook> webhooks = new ArrayList<>();
        for (int i = 0; i < hooks.size(); i++) {
            webhooks.add(new Hook(J.of(hooks.get(i)), J.of(Api.join(deliveries.get(i)))));
        }
        boolean seesDeadLetters = session.sees(null);
        List<DeadLetterTopic> topics = new ArrayList<>();
        if (seesDeadLetters) {
            deadLetters.latest(LATEST_LETTERS).forEach((name, latest) -> topics.add(new DeadLetterTopic(name, latest.letters(), latest.total())));
        }
        return Templates.operations(session, seesDeadLetters, topics, seesWebhooks, webhooks, done);
    }

    /** Puts one dead letter (or all of a topic's, without {@code id}) back on its source topic. */
    @POST
    @Path("dead-letters/replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response replay(@RestForm String dlq, @RestForm String id, @RestForm String csrf) throws InterruptedException {
        Session session = current.get();
        Response refused = refused(session, csrf);
        if (refused != null) {
            return refused;
        }
        try {
            int replayed = deadLetters.replay(dlq == null ? "" : dlq, id == null || id.isBlank() ? List.of() : List.of(id)).size();
            return Response.seeOther(URI.create("/operations?done=" + Api.segment("replayed " + replayed + " from " + dlq))).build();
        } catch (IllegalArgumentException e) {
            return Errors.page(422, "Nothing replayed", e.getMessage());
        }
    }

    @POST
    @Path("webhooks/{webhook}/deliveries/{delivery}/redeliver")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response redeliver(@RestPath String webhook, @RestPath String delivery, @RestForm String csrf) {
        Session session = current.get();
        Response refused = refused(session, csrf);
        if (refused != null) {
            return refused;
        }
        api.post(session, Service.DATASETS, "/webhooks/" + Api.segment(webhook) + "/deliveries/" + Api.segment(delivery) + "/redeliver", null);
        return Response.seeOther(URI.create("/operations?done=" + Api.segment("delivery queued again"))).build();
    }

    private static Response refused(Session session, String csrf) {
        if (!Sessions.csrfMatches(session, csrf)) {
            return Errors.page(403, "The form expired", "Reload the page and try again.");
        }
        if (!session.admin() || !session.sees(null)) {
            return Errors.page(403, "Your key may not do that", "Replays and redeliveries need an admin key for every dataset.");
        }
        return null;
    }
}
