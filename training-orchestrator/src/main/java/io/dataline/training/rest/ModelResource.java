package io.dataline.training.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.service.rest.ProblemException;
import io.dataline.training.ModelVersion;
import io.dataline.training.ModelVersionRepository;
import io.dataline.training.StagedModel;
import io.dataline.training.StagedModelRepository;
import io.dataline.training.artifact.ArtifactStore;
import io.dataline.training.service.CompareService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/**
 * The model registry: models, their versions with lineage and metrics, the held-out sample of a version (with the
 * predictions it made: deploy-service's smoke check), the artifact itself, and comparing two versions on the same
 * held-out records.
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    @Inject
    ModelVersionRepository versions;

    @Inject
    StagedModelRepository staged;

    @Inject
    ArtifactStore artifacts;

    @Inject
    CompareService compare;

    @Inject
    ObjectMapper mapper;

    /** One model: its dataset, how many versions, the newest, and the version in staging. */
    public record ModelSummary(String name, String dataset, String datasetSlug, int versions, int latestVersion, Integer stagingVersion) {
    }

    /** The body of {@code POST /models/{name}/versions/{n}/compare}. */
    public record CompareRequest(Integer against) {
    }

    /**
     * Every model, or with {@code ?dataset=} (name or slug) the models of that dataset only: what a key limited to some
     * datasets must ask for (the key check lets it name only its own).
     */
    @GET
    public List<ModelSummary> list(@QueryParam("dataset") String dataset) {
        return QuarkusTransaction.requiringNew().call(() -> {
            java.util.Map<String, Integer> stagedVersions = new java.util.HashMap<>();
            staged.listAll().forEach(stage -> stagedVersions.put(stage.model, stage.version));
            return versions.summaries().stream() // one query, not every version of every model with its spec and sample
                    .map(m -> new ModelSummary(m.model(), m.dataset(), m.datasetSlug(), (int) m.versions(), m.latestVersion(),
                            stagedVersions.get(m.model())))
                    .filter(m -> dataset == null || dataset.equals(m.datasetSlug()) || dataset.equals(m.dataset())).toList();
        });
    }

    @GET
    @Path("{name}/versions")
    public List<ModelVersionView> versions(@PathParam("name") String name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<ModelVersion> all = versions.versions(name);
            if (all.isEmpty()) {
                throw new ProblemException(404, "no model \"" + name + "\"");
            }
            StagedModel stage = staged.findById(name);
            return all.stream().map(v -> view(v, stage)).toList();
        });
    }

    @GET
    @Path("{name}/versions/{version}")
    public ModelVersionView version(@PathParam("name") String name, @PathParam("version") int version) {
        return QuarkusTransaction.requiringNew().call(() -> view(find(name, version), staged.findById(name)));
    }

    @GET
    @Path("{name}/versions/{version}/sample")
    public JsonNode sample(@PathParam("name") String name, @PathParam("version") int version) {
        ModelVersion found = QuarkusTransaction.requiringNew().call(() -> find(name, version));
        ObjectNode body = mapper.createObjectNode();
        body.put("model", found.model);
        body.put("version", found.version);
        body.put("labelField", read(found.specJson).path("labelField").asText());
        body.set("records", read(found.heldOutSampleJson));
        return body;
    }

    @GET
    @Path("{name}/versions/{version}/artifact")
    @Produces(MediaType.WILDCARD)
    public Response artifact(@PathParam("name") String name, @PathParam("version") int version) {
        ModelVersion found = QuarkusTransaction.requiringNew().call(() -> find(name, version));
        java.nio.file.Path file = artifacts.resolve(found.artifactPath);
        if (!Files.isRegularFile(file)) {
            throw new ProblemException(410, "the artifact of " + name + " v" + version + " is no longer in the artifact store");
        }
        StreamingOutput stream = out -> {
            try (InputStream in = artifacts.open(found.artifactPath)) {
                in.transferTo(out);
            }
        };
        String fileName = file.getFileName().toString();
        return Response.ok(stream, fileName.endsWith(".zip") ? "application/zip" : MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Length", found.artifactSize)
                .header("Content-Disposition", "attachment; filename=\"" + name + "-v" + version + "-" + fileName + "\"")
                .header("X-Checksum-SHA256", found.artifactSha256)
                .tag(found.artifactSha256)
                .build();
    }

    @POST
    @Path("{name}/versions/{version}/compare")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonNode compare(@PathParam("name") String name, @PathParam("version") int version, CompareRequest request) throws InterruptedException {
        if (request == null || request.against() == null) {
            throw new ProblemException(400, "the body must be {\"against\": a version number}");
        }
        ModelVersion candidate = QuarkusTransaction.requiringNew().call(() -> find(name, version));
        ModelVersion against = QuarkusTransaction.requiringNew().call(() -> find(name, request.against()));
        return compare.compare(candidate, against);
    }

    private ModelVersion find(String name, int version) {
        return versions.find(name, version).orElseThrow(() -> new ProblemException(404, "no version " + version + " of model \"" + name + "\""));
    }

    private ModelVersionView view(ModelVersion v, StagedModel stage) {
        JsonNode spec = read(v.specJson);
        return new ModelVersionView(v.model, v.version, v.dataset, v.datasetSlug, v.dataVersion, v.branch, v.dataHash, v.pipelineRevision, v.codeCommit,
                v.trainer, v.template, spec.path("params"), spec, read(v.metricsJson), v.baselineVersion,
                v.baselineMetricsJson == null ? null : read(v.baselineMetricsJson),
                new ModelVersionView.Artifact(v.artifactUri, v.artifactSha256, v.artifactSize, v.artifactFormat), v.trainRecords, v.heldOutRecords,
                v.runId, stage != null && stage.version == v.version, v.createdAt);
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored model version is corrupt", e);
        }
    }
}
