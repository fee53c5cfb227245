package io.dataline.deploy.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.deploy.ModelStage;
import io.dataline.deploy.ModelStageRepository;
import io.dataline.deploy.Promotion;
import io.dataline.deploy.PromotionRepository;
import io.dataline.deploy.service.PromotionService;
import io.dataline.deploy.serving.PromotionRefusedException;
import io.dataline.deploy.serving.ServedModels;
import io.dataline.models.ModelPrediction;
import io.dataline.service.rest.CallerName;
import io.dataline.service.rest.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stages of a model: what is in staging (now or at a past instant, from the audit), the audit trail, promoting a
 * version by hand, rolling back, and predictions from the staged model.
 */
@Path("/models/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class StageResource {

    static final int MAX_RECORDS = 1000;

    @Inject
    ModelStageRepository stages;

    @Inject
    PromotionRepository promotions;

    @Inject
    PromotionService service;

    @Inject
    ServedModels served;

    @Inject
    ObjectMapper mapper;

    @Inject
    CallerName caller;

    public record StagingView(int version, String dataVersion, Instant since) {
    }

    public record StagesView(String model, StagingView staging) {
    }

    public record GateView(String metric, String rule, double threshold, Double value, boolean passed) {
    }

    public record PromotionView(int version, Integer previousVersion, String stage, Instant at, String cause, boolean rollback, boolean forced,
            List<GateView> gates) {
    }

    public record PromoteRequest(Integer version, Boolean force) {
    }

    public record PredictRequest(List<JsonNode> records) {
    }

    public record PredictionView(String label, Map<String, Double> scores) {
    }

    public record PredictResponse(String model, int version, String dataVersion, List<PredictionView> predictions) {
    }

    @GET
    @Path("stages")
    public StagesView stages(@PathParam("name") String name, @QueryParam("at") String at) {
        if (at == null) {
            return QuarkusTransaction.requiringNew().call(() -> new StagesView(name, stages.staging(name)
                    .map(s -> new StagingView(s.version, s.dataVersion, s.since)).orElse(null)));
        }
        Instant instant;
        try {
            instant = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new ProblemException(400, "at must be an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        }
        return QuarkusTransaction.requiringNew().call(() -> new StagesView(name, promotions.asOf(name, ModelStage.STAGING, instant)
                .map(p -> new StagingView(p.version, p.dataVersion, p.at)).orElse(null)));
    }

    @GET
    @Path("promotions")
    public List<PromotionView> promotions(@PathParam("name") String name, @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw new ProblemException(400, "offset >= 0 and 1 <= limit <= 1000");
        }
        return QuarkusTransaction.requiringNew().call(() -> promotions.newest(name, offset, limit).stream().map(this::view).toList());
    }

    @POST
    @Path("stages/staging")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response promote(@PathParam("name") String name, PromoteRequest request) throws PromotionRefusedException, InterruptedException {
        if (request == null || request.version() == null || request.version() < 1) {
            throw new ProblemException(400, "the body must be {\"version\": n, \"force\": false}");
        }
        boolean force = Boolean.TRUE.equals(request.force());
        if (force && !caller.has("admin")) {
            throw new ProblemException(403, "\"force\": true promotes over failed gates and needs an admin key; this key may promote "
                    + "only what the gates accept");
        }
        PromotionService.Outcome outcome = service.promoteByHand(name, request.version(), force, caller.get());
        if (!outcome.promoted()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "about:blank");
            body.put("title", "Conflict");
            body.put("status", 409);
            body.put("detail", "the gates refuse " + name + " v" + request.version() + " (" + outcome.reason() + "); send \"force\": true to promote it anyway");
            body.put("gates", outcome.gates().stream().map(g -> new GateView(g.metric(), g.rule(), g.threshold(), g.value(), g.passed())).toList());
            return Response.status(409).type("application/problem+json").entity(body).build();
        }
        return Response.ok(view(outcome.audit())).build();
    }

    @POST
    @Path("stages/staging/rollback")
    public PromotionView rollback(@PathParam("name") String name) throws PromotionRefusedException, InterruptedException {
        return view(service.rollback(name, caller.get()).audit());
    }

    @POST
    @Path("staging/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    public PredictResponse predict(@PathParam("name") String name, PredictRequest request) {
        if (request == null || request.records() == null || request.records().isEmpty() || request.records().size() > MAX_RECORDS) {
            throw new ProblemException(400, "the body must be {\"records\": [1 to " + MAX_RECORDS + " records]}");
        }
        ServedModels.Served model = served.get(name).orElseThrow(() -> {
            boolean staged = QuarkusTransaction.requiringNew().call(() -> stages.staging(name).isPresent());
            return staged ? new ProblemException(503, "the model in staging for \"" + name + "\" is not served here (not a built-in model, or still loading)")
                    : new ProblemException(404, "nothing of model \"" + name + "\" is in staging");
        });
        List<PredictionView> predictions = new ArrayList<>(request.records().size());
        for (int i = 0; i < request.records().size(); i++) {
            JsonNode record = request.records().get(i);
            if (record == null || !record.isObject()) {
                throw new ProblemException(400, "records[" + i + "] must be an object");
            }
            ModelPrediction prediction = model.model().predict(record);
            predictions.add(new PredictionView(prediction.label(), prediction.scores()));
        }
        return new PredictResponse(name, model.version(), model.dataVersion(), predictions);
    }

    private PromotionView view(Promotion p) {
        List<GateView> gates;
        try {
            gates = List.of(mapper.readValue(p.gatesJson, GateView[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored audit row is corrupt", e);
        }
        return new PromotionView(p.version, p.previousVersion, p.stage, p.at, p.cause, p.rollback, p.forced, gates);
    }
}
