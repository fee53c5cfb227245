package io.dataline.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dataline.console.api.Api;
import io.dataline.console.api.Api.Service;
import io.dataline.console.api.ApiException;
import io.dataline.console.auth.Session;
import io.dataline.console.auth.SessionFilter;
import io.dataline.console.auth.Sessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Models: the list, a model's versions with their metrics, what holds staging and its audit trail (with the rollback
 * for admin keys), and one version: metrics, confusion matrix, the comparison with the staged model on this version's
 * held-out records, and its lineage to data, pipeline revision and code.
 */
@Path("/models")
@Produces(MediaType.TEXT_HTML)
public class ModelPages {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(Session session, J models);

        static native TemplateInstance model(Session session, String model, J versions, J stages, J promotions);

        static native TemplateInstance version(Session session, J version, String confusion, J comparison, String comparisonProblem,
                String againstConfusion);
    }

    @Inject
    Api api;

    @Inject
    SessionFilter.Current current;

    @GET
    public TemplateInstance models() {
        Session session = current.get();
        if (session.datasets() == null) {
            return Templates.models(session, J.of(api.get(session, Service.TRAINING, "/models")));
        }
        ArrayNode models = MAPPER.createArrayNode(); // a key limited to some datasets lists their models, one dataset at a time
        for (String dataset : session.datasets()) {
            models.addAll((ArrayNode) api.get(session, Service.TRAINING, "/models?dataset=" + Api.segment(dataset)));
        }
        return Templates.models(session, J.of(models));
    }

    @GET
    @Path("{model}")
    public TemplateInstance model(@RestPath String model) {
        Session session = current.get();
        String base = "/models/" + Api.segment(model);
        CompletableFuture<JsonNode> stages = api.getAsync(session, Service.DEPLOY, base + "/stages");
        CompletableFuture<JsonNode> promotions = api.getAsync(session, Service.DEPLOY, base + "/promotions");
        JsonNode versions = api.get(session, Service.TRAINING, base + "/versions");
        return Templates.model(session, model, J.of(versions), J.of(Api.join(stages)), J.of(Api.join(promotions)));
    }

    @GET
    @Path("{model}/versions/{version}")
    public TemplateInstance version(@RestPath String model, @RestPath int version) {
        Session session = current.get();
        String base = "/models/" + Api.segment(model);
        CompletableFuture<JsonNode> stages = api.getAsync(session, Service.DEPLOY, base + "/stages");
        JsonNode detail = api.get(session, Service.TRAINING, base + "/versions/" + version);
        JsonNode staged = Api.join(stages).path("staging");
        JsonNode comparison = null;
        String problem = null;
        if (staged.isObject() && staged.path("version").asInt() != version) {
            try { // both models on this version's held-out records
                comparison = api.post(session, Service.TRAINING, base + "/versions/" + version + "/compare", Map.of("against", staged.path("version").asInt()));
            } catch (ApiException e) {
                problem = e.getMessage();
            }
        } else if (staged.isObject()) {
            problem = "This version is the one in staging.";
        } else {
            problem = "No model is in staging yet.";
        }
        return Templates.version(session, J.of(detail), Charts.confusion(detail.path("metrics").path("confusionMatrix")), J.of(comparison), problem,
                comparison == null ? null : Charts.confusion(comparison.path("againstMetrics").path("confusionMatrix")));
    }

    /** Moves staging back to the version staged before the current one (admin keys; the form carries the session's token). */
    @POST
    @Path("{model}/rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rollback(@RestPath String model, @RestForm String csrf) {
        Session session = current.get();
        if (!Sessions.csrfMatches(session, csrf)) {
            return Errors.page(403, "The form expired", "Reload the page and try again.");
        }
        if (!session.admin()) {
            return Errors.page(403, "Your key may not do that", "Rolling staging back needs an admin key.");
        }
        api.post(session, Service.DEPLOY, "/models/" + Api.segment(model) + "/stages/staging/rollback", null);
        return Response.seeOther(URI.create("/models/" + Api.segment(model) + "?rolledBack=true")).build();
    }
}
