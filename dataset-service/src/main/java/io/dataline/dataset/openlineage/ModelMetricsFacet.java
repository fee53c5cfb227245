package io.dataline.dataset.openlineage;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dataline.events.ModelMetrics;
import io.openlineage.client.OpenLineage;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dataline's custom dataset facet {@code dataline_modelMetrics} on a model version: the held-out metrics Dataline
 * measured for it ({@code modelVersion}, {@code heldOutAccuracy}, {@code macroF1}, {@code logLoss}), those of the
 * staged baseline on the same records ({@code baselineVersion}, {@code baselineAccuracy}, {@code baselineMacroF1},
 * {@code baselineLogLoss}) and the artifact's {@code artifactSha256}. Its JSON Schema is
 * {@code dataset-service/src/main/resources/openlineage/ModelMetricsDatasetFacet.json}, served by dataset-service at
 * {@value #SCHEMA} (the facet's {@code _schemaURL}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ModelMetricsFacet implements OpenLineage.DatasetFacet {

    public static final String NAME = "dataline_modelMetrics";
    public static final String SCHEMA = "/openlineage/facets/ModelMetricsDatasetFacet.json";

    private final URI producer;
    private final URI schemaUrl;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    ModelMetricsFacet(URI producer, URI schemaUrl, int modelVersion, ModelMetrics metrics, Integer baselineVersion, ModelMetrics baseline,
            String artifactSha256) {
        this.producer = producer;
        this.schemaUrl = schemaUrl;
        properties.put("modelVersion", modelVersion);
        properties.put("heldOutAccuracy", metrics.accuracy());
        properties.put("macroF1", metrics.macroF1());
        properties.put("logLoss", metrics.logLoss());
        if (baselineVersion != null) {
            properties.put("baselineVersion", baselineVersion);
        }
        if (baseline != null) {
            properties.put("baselineAccuracy", baseline.accuracy());
            properties.put("baselineMacroF1", baseline.macroF1());
            properties.put("baselineLogLoss", baseline.logLoss());
        }
        if (artifactSha256 != null) {
            properties.put("artifactSha256", artifactSha256);
        }
    }

    @Override
    public URI get_producer() {
        return producer;
    }

    @Override
    public URI get_schemaURL() {
        return schemaUrl;
    }

    @Override
    public Boolean get_deleted() {
        return null;
    }

    @Override
    @JsonAnyGetter
    public Map<String, Object> getAdditionalProperties() {
        return Collections.unmodifiableMap(properties);
    }
}
