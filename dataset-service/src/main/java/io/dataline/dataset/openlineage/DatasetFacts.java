package io.dataline.dataset.openlineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetRepository;
import io.dataline.dataset.DatasetSchema;
import io.dataline.dataset.DatasetSchemaRepository;
import io.dataline.dataset.DatasetVersion;
import io.dataline.dataset.DatasetVersionRepository;
import io.dataline.dataset.PipelineRevisionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What dataset-service knows about a dataset version for its lineage events: its record count, the JSON Schema it was
 * committed under (as field name and type pairs) and the features its pipeline revision trains on. Empty when the
 * dataset or version is gone (deleted since): the events then carry what the pipeline event itself says.
 */
@ApplicationScoped
public class DatasetFacts {

    /** One version's facts; {@code features} empty when its pipeline does not train. */
    public record Facts(long recordCount, List<Field> fields, List<String> features, String labelField) {
    }

    /** A schema field: its name, its JSON type, its description. */
    public record Field(String name, String type, String description) {
    }

    @Inject
    DatasetRepository datasets;

    @Inject
    DatasetVersionRepository versions;

    @Inject
    DatasetSchemaRepository schemas;

    @Inject
    PipelineRevisionRepository revisions;

    @Inject
    ObjectMapper mapper;

    public Optional<Facts> of(String slug, String version) {
        return QuarkusTransaction.requiringNew().call(() -> datasets.findByNameOrSlug(slug).flatMap(dataset -> versions.find(dataset, version)
                .map(v -> facts(dataset, v))));
    }

    private Facts facts(Dataset dataset, DatasetVersion version) {
        List<Field> fields = new ArrayList<>();
        DatasetSchema schema = schemas.find(dataset, version.schemaVersion).orElse(null);
        if (schema != null) {
            read(schema.json).path("properties").fields().forEachRemaining(p -> fields.add(new Field(p.getKey(), type(p.getValue()),
                    p.getValue().path("description").isTextual() ? p.getValue().path("description").textValue() : null)));
        }
        List<String> features = new ArrayList<>();
        String[] label = {null};
        revisions.find(dataset, version.pipelineRevision).ifPresent(revision -> {
            JsonNode training = read(revision.json).path("training");
            training.path("features").forEach(f -> features.add(f.path("field").asText()));
            label[0] = training.path("labelField").isTextual() ? training.path("labelField").textValue() : null;
        });
        return new Facts(version.recordCount, fields, features, label[0]);
    }

    private static String type(JsonNode property) {
        JsonNode type = property.path("type");
        if (type.isTextual()) {
            return type.textValue();
        }
        if (type.isArray()) {
            List<String> types = new ArrayList<>();
            type.forEach(t -> types.add(t.asText()));
            return String.join("|", types);
        }
        return "any";
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
