package io.dataline.dataset.openlineage;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.FailedCheck;
import io.dataline.events.ModelCandidateEvaluatedEvent;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.PipelineEvent;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.events.TrainingRunStartedEvent;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The OpenLineage run events one pipeline event stands for, built with OpenLineage's own model. Jobs (namespace
 * {@code dataline.openlineage.namespace}): {@code commit.<dataset>}, {@code validate.<dataset>},
 * {@code train.<dataset>}, {@code promote.<model>}. Run ids are stable: the training run's own id, and for the other
 * stages a name-based UUID of the stage and what it ran on (so a redelivered event repeats the same run). Datasets live
 * in the namespace {@code dataline://<host>}: a dataset version is the dataset (name = slug) with the {@code version}
 * facet (the data version) and its {@code schema}; a model version is the dataset {@code models/<model>} with its
 * {@code version}, {@code columnLineage} (the label from the features) and {@code dataline_modelMetrics}. Validation
 * adds {@code dataQualityAssertions} and {@code dataQualityMetrics} (row count, each column's null count) from its report; a failure carries
 * {@code errorMessage}. The producer is {@code dataline://<host>/<service that ran the stage>}.
 */
@ApplicationScoped
public class LineageRunEvents {

    @Inject
    DatasetServiceConfig config;

    @Inject
    DatasetFacts facts;

    @Inject
    ValidationReports reports;

    /** The events, in the order they happened; none for an event that is not a stage of the pipeline. */
    public List<RunEvent> of(PipelineEvent event) throws IOException {
        Stage stage = new Stage(event);
        if (event instanceof DatasetCommittedEvent e) {
            UUID commit = uuid("commit", e.datasetSlug(), e.dataVersion());
            OpenLineage.OutputDataset version = stage.ol.newOutputDatasetBuilder().namespace(namespace()).name(e.datasetSlug())
                    .facets(stage.datasetFacets(e.datasetSlug(), e.dataVersion()))
                    .outputFacets(stage.ol.newOutputDatasetOutputFacetsBuilder()
                            .outputStatistics(stage.ol.newOutputStatisticsOutputDatasetFacet(e.recordCount(), null, null)).build()).build();
            return List.of(stage.event(EventType.START, e.committedAt(), commit, "commit." + e.datasetSlug(), List.of(), List.of(version), null),
                    stage.event(EventType.COMPLETE, e.occurredAt(), commit, "commit." + e.datasetSlug(), List.of(), List.of(version), null),
                    stage.event(EventType.START, e.occurredAt(), validation(e.datasetSlug(), e.dataVersion()), "validate." + e.datasetSlug(),
                            List.of(stage.input(e.datasetSlug(), e.dataVersion(), null)), List.of(), null));
        }
        if (event instanceof DatasetValidatedEvent e) {
            return List.of(stage.event(EventType.COMPLETE, e.occurredAt(), validation(e.datasetSlug(), e.dataVersion()), "validate." + e.datasetSlug(),
                    List.of(stage.input(e.datasetSlug(), e.dataVersion(), quality(stage.ol, e.reportUrl()))), List.of(), null));
        }
        if (event instanceof DatasetValidationFailedEvent e) {
            String reason = "validation failed: " + e.failedChecks().stream().map(LineageRunEvents::describe).collect(Collectors.joining("; "));
            return List.of(stage.event(EventType.FAIL, e.occurredAt(), validation(e.datasetSlug(), e.dataVersion()), "validate." + e.datasetSlug(),
                    List.of(stage.input(e.datasetSlug(), e.dataVersion(), quality(stage.ol, e.reportUrl()))), List.of(), reason));
        }
        if (event instanceof TrainingRunStartedEvent e) {
            return List.of(stage.event(EventType.START, e.occurredAt(), run(e.runId()), "train." + e.datasetSlug(),
                    List.of(stage.input(e.datasetSlug(), e.dataVersion(), null)), List.of(), null));
        }
        if (event instanceof TrainingRunFailedEvent e) {
            return List.of(stage.event(EventType.FAIL, e.occurredAt(), run(e.runId()), "train." + e.datasetSlug(),
                    List.of(stage.input(e.datasetSlug(), e.dataVersion(), null)), List.of(), e.reason()));
        }
        if (event instanceof ModelRegisteredEvent e) {
            return List.of(stage.event(EventType.COMPLETE, e.occurredAt(), run(e.runId()), "train." + e.datasetSlug(),
                    List.of(stage.input(e.datasetSlug(), e.dataVersion(), null)), List.of(stage.model(e)), null),
                    stage.event(EventType.START, e.occurredAt(), promotion(e.model(), e.modelVersion()), "promote." + e.model(),
                            List.of(stage.modelInput(e.model(), e.modelVersion())), List.of(), null));
        }
        if (event instanceof ModelPromotedEvent e) {
            List<OpenLineage.InputDataset> inputs = List.of(stage.modelInput(e.model(), e.modelVersion()));
            if (e.rollback()) { // a rollback is a run of its own, started and completed at once
                UUID rollback = uuid("rollback", e.model(), e.eventId().toString());
                return List.of(stage.event(EventType.START, e.occurredAt(), rollback, "promote." + e.model(), inputs, List.of(), null),
                        stage.event(EventType.COMPLETE, e.occurredAt(), rollback, "promote." + e.model(), inputs, List.of(), null));
            }
            return List.of(stage.event(EventType.COMPLETE, e.occurredAt(), promotion(e.model(), e.modelVersion()), "promote." + e.model(), inputs,
                    List.of(), null));
        }
        if (event instanceof ModelPromotionRejectedEvent e) {
            return List.of(stage.event(EventType.FAIL, e.occurredAt(), promotion(e.model(), e.modelVersion()), "promote." + e.model(),
                    List.of(stage.modelInput(e.model(), e.modelVersion())), List.of(), "promotion rejected: " + e.reason()));
        }
        if (event instanceof ModelCandidateEvaluatedEvent e) { // a branch's candidate: the gates' verdict ends its promote run
            return List.of(stage.event(e.passed() ? EventType.COMPLETE : EventType.FAIL, e.occurredAt(), promotion(e.model(), e.modelVersion()),
                    "promote." + e.model(), List.of(stage.modelInput(e.model(), e.modelVersion())), List.of(),
                    e.passed() ? null : "candidate rejected by the gates: " + e.reason()));
        }
        return List.of();
    }

    /** A training run's id: its own UUID (any other id, name-based). */
    static UUID run(String runId) {
        try {
            return UUID.fromString(runId);
        } catch (IllegalArgumentException e) {
            return uuid("train", runId, "");
        }
    }

    /** The run id of a version's validation. */
    public static UUID validation(String slug, String version) {
        return uuid("validate", slug, version);
    }

    /** The run id of a model version's promotion. */
    public static UUID promotion(String model, int version) {
        return uuid("promote", model, Integer.toString(version));
    }

    private static UUID uuid(String stage, String name, String version) {
        return UUID.nameUUIDFromBytes(("dataline:" + stage + ":" + name + ":" + version).getBytes(StandardCharsets.UTF_8));
    }

    String namespace() {
        return "dataline://" + host();
    }

    private String host() {
        String host = URI.create(config.publicUrl()).getHost();
        return host == null ? "localhost" : host;
    }

    private static String describe(FailedCheck check) {
        return check.check() + (check.field() == null ? "" : " on " + check.field()) + (check.value() == null ? "" : " (" + check.value() + ")");
    }

    /** The data-quality facets of a validation report, or none when it cannot be read. */
    private OpenLineage.InputDatasetInputFacets quality(OpenLineage ol, String reportUrl) throws IOException {
        Optional<JsonNode> report = reports.read(reportUrl);
        if (report.isEmpty()) {
            return null;
        }
        long records = report.get().path("recordCount").asLong();
        List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions = new ArrayList<>();
        var columns = ol.newDataQualityMetricsInputDatasetFacetColumnMetricsBuilder();
        JsonNode nullCounts = report.get().path("nullCounts");
        nullCounts.fields().forEachRemaining(column -> columns.put(column.getKey(),
                ol.newDataQualityMetricsInputDatasetFacetColumnMetricsAdditionalBuilder().nullCount(column.getValue().asLong()).build()));
        for (JsonNode check : report.get().path("checks")) {
            String column = check.path("field").isTextual() ? check.path("field").textValue() : null;
            assertions.add(ol.newDataQualityAssertionsDatasetFacetAssertions(check.path("check").asText(), check.path("passed").asBoolean(), column));
            if (!nullCounts.isObject() && "maxNullFraction".equals(check.path("check").asText()) && column != null && check.path("value").isNumber()) {
                // a report from before null counts were kept: the fields with a null-fraction rule
                columns.put(column, ol.newDataQualityMetricsInputDatasetFacetColumnMetricsAdditionalBuilder()
                        .nullCount(Math.round(check.path("value").asDouble() * records)).build());
            }
        }
        return ol.newInputDatasetInputFacetsBuilder().dataQualityAssertions(ol.newDataQualityAssertionsDatasetFacet(assertions))
                .dataQualityMetrics(ol.newDataQualityMetricsInputDatasetFacetBuilder().rowCount(records).columnMetrics(columns.build()).build())
                .build();
    }

    /** What the events of one pipeline event share: the model (with the producing service) and how datasets look. */
    private final class Stage {

        final URI producer;
        final OpenLineage ol;

        Stage(PipelineEvent event) {
            this.producer = URI.create("dataline://" + host() + "/" + (event.producer() == null ? "dataline" : event.producer()));
            this.ol = new OpenLineage(producer);
        }

        RunEvent event(EventType type, Instant at, UUID run, String job, List<OpenLineage.InputDataset> inputs,
                List<OpenLineage.OutputDataset> outputs, String failure) {
            OpenLineage.RunFacetsBuilder runFacets = ol.newRunFacetsBuilder();
            if (failure != null) {
                runFacets.errorMessage(ol.newErrorMessageRunFacet(failure, "text", null));
            }
            return ol.newRunEventBuilder().eventType(type).eventTime(at.atZone(ZoneOffset.UTC)).run(ol.newRun(run, runFacets.build()))
                    .job(ol.newJobBuilder().namespace(config.openlineage().namespace()).name(job).build()).inputs(inputs).outputs(outputs).build();
        }

        OpenLineage.DatasetFacets datasetFacets(String slug, String version) {
            OpenLineage.DatasetFacetsBuilder builder = ol.newDatasetFacetsBuilder().version(ol.newDatasetVersionDatasetFacet(version));
            facts.of(slug, version).ifPresent(f -> builder.schema(ol.newSchemaDatasetFacet(f.fields().stream()
                    .map(field -> ol.newSchemaDatasetFacetFieldsBuilder().name(field.name()).type(field.type()).description(field.description())
                            .build()).toList())));
            return builder.build();
        }

        OpenLineage.InputDataset input(String slug, String version, OpenLineage.InputDatasetInputFacets inputFacets) {
            return ol.newInputDatasetBuilder().namespace(namespace()).name(slug).facets(datasetFacets(slug, version)).inputFacets(inputFacets).build();
        }

        OpenLineage.InputDataset modelInput(String model, int version) {
            return ol.newInputDatasetBuilder().namespace(namespace()).name("models/" + model)
                    .facets(ol.newDatasetFacetsBuilder().version(ol.newDatasetVersionDatasetFacet(Integer.toString(version))).build()).build();
        }

        OpenLineage.OutputDataset model(ModelRegisteredEvent e) {
            OpenLineage.DatasetFacetsBuilder builder = ol.newDatasetFacetsBuilder()
                    .version(ol.newDatasetVersionDatasetFacet(Integer.toString(e.modelVersion())));
            facts.of(e.datasetSlug(), e.dataVersion()).filter(f -> f.labelField() != null && !f.features().isEmpty()).ifPresent(f -> {
                List<OpenLineage.InputField> from = new ArrayList<>();
                f.features().forEach(feature -> from.add(ol.newInputFieldBuilder().namespace(namespace()).name(e.datasetSlug()).field(feature).build()));
                from.add(ol.newInputFieldBuilder().namespace(namespace()).name(e.datasetSlug()).field(f.labelField()).build());
                builder.columnLineage(ol.newColumnLineageDatasetFacetBuilder().fields(ol.newColumnLineageDatasetFacetFieldsBuilder()
                        .put(f.labelField(), ol.newColumnLineageDatasetFacetFieldsAdditionalBuilder().inputFields(from).build()).build()).build());
            });
            builder.put(ModelMetricsFacet.NAME, new ModelMetricsFacet(producer,
                    URI.create(config.publicUrl() + ModelMetricsFacet.SCHEMA), e.modelVersion(), e.metrics(), e.baselineVersion(),
                    e.baselineMetrics(), e.artifactSha256()));
            return ol.newOutputDatasetBuilder().namespace(namespace()).name("models/" + e.model()).facets(builder.build()).build();
        }
    }
}
