package io.dataline.training.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.service.rest.CallerName;
import io.dataline.service.rest.ProblemException;
import io.dataline.training.TrainingRun;
import io.dataline.training.TrainingRunRepository;
import io.dataline.training.service.RunService;
import io.dataline.training.service.UploadTokens;
import io.dataline.training.trainer.ExternalOutputs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Training runs: list ({@code ?dataset=}), one run with timings and its log tail, re-train a version on demand, and
 * the endpoints remote (Kubernetes) trainers read their inputs from and deliver their outputs to with their run's
 * token.
 */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    static final int MAX_LIMIT = 500;
    static final List<String> INPUTS = List.of("train.ndjson", "model", "input.ndjson");

    @Inject
    TrainingRunRepository runs;
    @Inject
    RunService service;
    @Inject
    ObjectMapper mapper;
    @Inject
    CallerName caller;
    @Inject
    UploadTokens uploads;
    @Inject
    io.dataline.training.config.TrainingConfig config;

    /** The body of {@code POST /runs}. */
    public record RunRequest(String dataset, String dataVersion) {
    }

    @GET
    public List<RunView> list(@QueryParam("dataset") String dataset, @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new ProblemException(400, "offset >= 0 and 1 <= limit <= " + MAX_LIMIT);
        }
        return QuarkusTransaction.requiringNew().call(() -> runs.newest(Optional.ofNullable(dataset), offset, limit).stream()
                .map(r -> RunView.of(r, read(r.specJson), false)).toList());
    }

    @GET
    @Path("{id}")
    public RunView get(@PathParam("id") String id) {
        return QuarkusTransaction.requiringNew().call(() -> RunView.of(find(id), read(find(id).specJson), true));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(RunRequest request) {
        if (request == null || request.dataset() == null || request.dataset().isBlank() || request.dataVersion() == null
                || !request.dataVersion().matches("[0-9a-f]{64}")) {
            throw new ProblemException(400, "the body must be {\"dataset\": name or slug, \"dataVersion\": a 64-character commit hash}");
        }
        if (!caller.mayUse(request.dataset())) {
            throw new ProblemException(403, "this API key is not allowed to use dataset \"" + request.dataset() + "\"");
        }
        TrainingRun run = service.request(request.dataset(), request.dataVersion(), caller.get());
        return Response.accepted(RunView.of(run, read(run.specJson), false)).location(URI.create("/runs/" + run.id)).build();
    }

    /**
     * What a remote trainer's Job reads with its run's token, while the run runs: {@code train.ndjson} (the training
     * split, for the training Job), {@code model} and {@code input.ndjson} (the model and the held-out records without
     * their labels, for a predict Job). Each exists only during its step; otherwise 404.
     */
    @GET
    @Path("{id}/inputs/{name}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response input(@PathParam("id") String id, @PathParam("name") String name, @HeaderParam("Authorization") String authorization) {
        UUID runId = uuid(id);
        if (!INPUTS.contains(name)) {
            throw new ProblemException(404, "a run's inputs are " + INPUTS + ", not \"" + name + "\"");
        }
        if (!tokenAccepted(runId, authorization)) {
            return ProblemException.response(401, "this run does not serve its inputs with that token (wrong token, or the run is not running)");
        }
        java.nio.file.Path file = uploads.inputDir(runId).resolve(name);
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ProblemException(404, "the run has no " + name + " now (it exists only during the step that reads it)");
        }
        return Response.ok(file.toFile(), MediaType.APPLICATION_OCTET_STREAM).build();
    }

    /**
     * A remote trainer delivers its model file ({@code model} / {@code model.<ext>}) or a predict Job its
     * {@code predictions.ndjson}, at most {@code dataline.runs.max-model-bytes}: a larger body is refused with 413 and
     * nothing of it is kept. Metrics are never uploaded: Dataline measures every model itself.
     */
    @PUT
    @Path("{id}/outputs/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response upload(@PathParam("id") String id, @PathParam("name") String name, @HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Length") Long contentLength, InputStream body) throws IOException {
        UUID runId = uuid(id);
        if (!ExternalOutputs.isUploadName(name)) {
            throw new ProblemException(400, "an output is model, model.<ext> or predictions.ndjson, not \"" + name + "\""
                    + (name.equals("metrics.json") ? " (Dataline measures every model itself from its predictions)" : ""));
        }
        if (!tokenAccepted(runId, authorization)) {
            return ProblemException.response(401, "this run does not accept uploads with that token (wrong token, or the run is not running)");
        }
        long limit = config.runs().maxModelBytes();
        if (contentLength != null && contentLength > limit) {
            return tooLarge(name, limit);
        }
        java.nio.file.Path dir = uploads.outputDir(runId);
        Files.createDirectories(dir);
        java.nio.file.Path partial = Files.createTempFile(dir, ".upload-", ".partial");
        try (InputStream in = body; java.io.OutputStream out = Files.newOutputStream(partial)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > limit) {
                    return tooLarge(name, limit); // the partial file is deleted below; the rest of the body is not read
                }
                out.write(buffer, 0, n);
            }
            out.close();
            Files.move(partial, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return Response.noContent().build();
    }

    private boolean tokenAccepted(UUID runId, String authorization) {
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).trim() : "";
        return !token.isEmpty() && uploads.accepts(runId, token);
    }

    private static Response tooLarge(String name, long limit) {
        return ProblemException.response(413, name + " is larger than the " + limit + " bytes a trainer may upload");
    }

    private TrainingRun find(String id) {
        TrainingRun run = runs.findById(uuid(id));
        if (run == null) {
            throw new ProblemException(404, "no run " + id);
        }
        return run;
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(404, "no run " + id);
        }
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored run is corrupt", e);
        }
    }
}
