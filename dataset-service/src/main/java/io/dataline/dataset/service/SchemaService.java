package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.dataset.versioning.KeyType;
import io.dataline.service.rest.ProblemException;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * New record schema versions: accepted only when every record of the head and every staged upsert validates
 * against the new schema; otherwise refused with the offending keys.
 */
@ApplicationScoped
public class SchemaService {

    @Inject
    RecordSchemas schemas;

    @Inject
    StagingService staging;

    @Inject
    DatasetService datasetService;

    @Inject
    DatasetServiceConfig config;

    @Inject
    ObjectMapper mapper;

    @Transactional
    @TransactionConfiguration(timeout = 3600)
    public DatasetView replace(String nameOrSlug, JsonNode schema) {
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        RecordSchemas.Result<KeyType> check = schemas.checkDatasetSchema(schema, dataset.primaryKey);
        if (!check.ok()) {
            throw ProblemException.invalid("the schema is invalid", check.problems().stream().map(RecordSchemas.Violation::asError).toList());
        }
        if (check.value() != dataset.keyType) {
            throw ProblemException.invalid("the primary key's type cannot change", "/schema/properties/" + dataset.primaryKey + "/type",
                    "must stay \"" + dataset.keyType.name().toLowerCase() + "\"");
        }
        JsonSchema compiled = schemas.compile(schema);
        List<Map<String, Object>> offending = new ArrayList<>();
        long[] total = {0};
        int max = config.records().maxErrors();
        java.util.function.BiConsumer<byte[], byte[]> check1 = (key, record) -> {
            var violations = compiled.validate(read(record));
            if (!violations.isEmpty()) {
                total[0]++;
                if (offending.size() < max) {
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("key", dataset.keyType.decode(key));
                    var first = violations.iterator().next();
                    error.put("pointer", first.getInstanceLocation().toString());
                    error.put("message", first.getMessage());
                    offending.add(error);
                }
            }
        };
        staging.forEachWorkingRecord(dataset, check1);
        if (total[0] > 0) {
            throw new ProblemException(422, "Unprocessable Content",
                    total[0] + " record(s) of the head or the staged changes would not validate against the new schema",
                    offending, total[0]);
        }
        dataset.schemaVersion++;
        datasetService.addSchema(dataset, dataset.schemaVersion, schema, Instant.now().truncatedTo(ChronoUnit.MICROS));
        return datasetService.view(dataset);
    }

    private JsonNode read(byte[] json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
