package io.dataline.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetRepository;
import io.dataline.dataset.DatasetSchema;
import io.dataline.dataset.DatasetSchemaRepository;
import io.dataline.dataset.PipelineRevision;
import io.dataline.dataset.PipelineRevisionRepository;
import io.dataline.dataset.versioning.KeyType;
import io.dataline.dataset.versioning.TreeFormat;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Datasets, their record schemas and their numbered pipeline revisions. */
@ApplicationScoped
public class DatasetService {

    /** The sections a pipeline spec may have; each later stage validates its own section. */
    static final Set<String> PIPELINE_SECTIONS = Set.of("validation", "training", "promotion");

    @Inject
    DatasetRepository datasets;

    @Inject
    DatasetSchemaRepository schemas;

    @Inject
    PipelineRevisionRepository pipelines;

    @Inject
    RecordSchemas recordSchemas;

    @Inject
    Caller caller;

    @Inject
    ObjectMapper mapper;

    /** The body of {@code POST /datasets}. */
    public record CreateDataset(String name, String description, String primaryKey, JsonNode schema, JsonNode pipeline) {
    }

    @Transactional
    public DatasetView create(CreateDataset request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        if (!Slugs.validName(request.name())) {
            errors.add(error("/name", "1-128 letters, digits, spaces, '-', '_' or '.', not starting or ending with a space"));
        }
        if (request.description() != null && request.description().length() > 10_000) {
            errors.add(error("/description", "at most 10,000 characters"));
        }
        RecordSchemas.Result<KeyType> schemaCheck = recordSchemas.checkDatasetSchema(request.schema(), request.primaryKey());
        schemaCheck.problems().forEach(p -> errors.add(p.asError()));
        errors.addAll(pipelineErrors(request.pipeline()));
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("the dataset definition is invalid", errors);
        }
        if (caller.principal() != null && !caller.principal().mayUseName(request.name())) {
            throw new ProblemException(403, "Forbidden", "this API key may not create dataset \"" + request.name() + "\"");
        }
        if (datasets.identifierTaken(request.name())) {
            throw nameTaken(request.name());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Dataset dataset = new Dataset();
        dataset.name = request.name();
        dataset.slug = Slugs.slugFor(request.name(), datasets::identifierTaken);
        dataset.description = request.description();
        dataset.primaryKey = request.primaryKey();
        dataset.keyType = schemaCheck.value();
        dataset.schemaVersion = 1;
        dataset.pipelineRevision = 1;
        dataset.createdAt = now;
        dataset.treeFormat = TreeFormat.CURRENT;
        datasets.persist(dataset);
        try {
            datasets.flush();
        } catch (jakarta.persistence.PersistenceException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                    throw nameTaken(request.name()); // the same name or slug inserted by a creation racing this one
                }
            }
            throw e;
        }
        if (!datasets.claim(dataset, dataset.name) || (!dataset.slug.equals(dataset.name) && !datasets.claim(dataset, dataset.slug))) {
            throw nameTaken(request.name()); // another creation took the name or the slug meanwhile; the transaction rolls back
        }
        addSchema(dataset, 1, request.schema(), now);
        addRevision(dataset, 1, request.pipeline() == null ? JsonNodeFactory.instance.objectNode() : request.pipeline(), now);
        return view(dataset);
    }

    private static ProblemException nameTaken(String name) {
        return ProblemException.conflict("\"" + name + "\" is taken: another dataset has this name or this slug (names and slugs share "
                + "one namespace, so that a path names one dataset)");
    }

    public List<DatasetView> list() {
        List<Dataset> visible = visible();
        Map<Long, DatasetSchema> current = schemas.current(visible); // one statement for all, not one per dataset
        return visible.stream().map(d -> view(d, current.containsKey(d.id) ? current.get(d.id) : schemas.current(d))).toList();
    }

    /** The datasets the caller may use, by name. */
    public List<Dataset> visible() {
        return datasets.listAll(io.quarkus.panache.common.Sort.ascending("name")).stream().filter(caller::mayUse).toList();
    }

    /** The dataset a path names (display name or slug), checked against the caller's dataset list; 404 if none. */
    public Dataset resolve(String nameOrSlug) {
        Dataset dataset = datasets.findByNameOrSlug(nameOrSlug)
                .orElseThrow(() -> ProblemException.notFound("no dataset named \"" + nameOrSlug + "\""));
        caller.requireDataset(dataset, nameOrSlug);
        return dataset;
    }

    /**
     * The dataset as {@link #resolve} finds it, locked for the rest of the transaction: {@code write} for changes to its
     * refs and versions (one writer at a time), shared otherwise (staging, which may run beside other stagers).
     */
    public Dataset lock(String nameOrSlug, boolean write) {
        return datasets.lock(resolve(nameOrSlug), write);
    }

    public DatasetView view(Dataset dataset) {
        return view(dataset, schemas.current(dataset));
    }

    private DatasetView view(Dataset dataset, DatasetSchema schema) {
        return new DatasetView(dataset.name, dataset.slug, dataset.description, dataset.primaryKey, parse(schema.json),
                dataset.schemaVersion, dataset.pipelineRevision, dataset.head, dataset.createdAt);
    }

    public JsonNode schemaOf(Dataset dataset) {
        return parse(schemas.current(dataset).json);
    }

    /** One schema version of the dataset (each version names the one its records were checked against). */
    public JsonNode schemaVersion(Dataset dataset, int version) {
        return schemas.find(dataset, version)
                .map(s -> parse(s.json))
                .orElseThrow(() -> ProblemException.notFound("dataset \"" + dataset.name + "\" has no schema version " + version));
    }

    public String schemaJson(Dataset dataset) {
        return schemas.current(dataset).json;
    }

    // --- pipeline ---------------------------------------------------------------------------------------------

    /** A pipeline revision as the API shows it. */
    public record PipelineView(int revision, JsonNode pipeline, Instant createdAt) {
    }

    public PipelineView pipeline(Dataset dataset, int revision) {
        PipelineRevision found = pipelines.find(dataset, revision)
                .orElseThrow(() -> ProblemException.notFound("dataset \"" + dataset.name + "\" has no pipeline revision " + revision));
        return new PipelineView(found.number, parse(found.json), found.createdAt);
    }

    @Transactional
    public PipelineView putPipeline(String nameOrSlug, JsonNode pipeline) {
        List<Map<String, Object>> errors = pipelineErrors(pipeline);
        if (pipeline == null) {
            errors = List.of(error("", "a JSON object is required"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("the pipeline is invalid", errors);
        }
        Dataset dataset = lock(nameOrSlug, true);
        dataset.pipelineRevision++;
        PipelineRevision revision = addRevision(dataset, dataset.pipelineRevision, pipeline, Instant.now().truncatedTo(ChronoUnit.MICROS));
        return new PipelineView(revision.number, pipeline, revision.createdAt);
    }

    private static List<Map<String, Object>> pipelineErrors(JsonNode pipeline) {
        List<Map<String, Object>> errors = new ArrayList<>();
        if (pipeline == null || pipeline.isNull()) {
            return errors;
        }
        if (!pipeline.isObject()) {
            errors.add(error("/pipeline", "must be an object with any of: validation, training, promotion"));
            return errors;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = pipeline.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> section = it.next();
            if (!PIPELINE_SECTIONS.contains(section.getKey())) {
                errors.add(error("/pipeline/" + section.getKey(), "unknown section (validation, training or promotion)"));
            } else if (!section.getValue().isObject() && !section.getValue().isNull()) {
                errors.add(error("/pipeline/" + section.getKey(), "must be an object or null"));
            }
        }
        return errors;
    }

    private PipelineRevision addRevision(Dataset dataset, int number, JsonNode spec, Instant at) {
        PipelineRevision revision = new PipelineRevision();
        revision.fill(dataset, number, write(spec), at);
        pipelines.persist(revision);
        return revision;
    }

    void addSchema(Dataset dataset, int version, JsonNode schema, Instant at) {
        DatasetSchema row = new DatasetSchema();
        row.fill(dataset, version, write(schema), at);
        schemas.persist(row);
    }

    JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is corrupt", e);
        }
    }

    String write(JsonNode json) {
        try {
            return mapper.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> error(String pointer, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("pointer", pointer);
        error.put("message", message);
        return error;
    }
}
