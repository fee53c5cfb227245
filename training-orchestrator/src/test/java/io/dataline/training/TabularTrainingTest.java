package io.dataline.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The built-in trainer on a public tabular data set through the whole service: the UCI Wine data (13 numeric
 * features, 3 cultivars; see {@code models/src/test/resources/datasets/README.md}) committed to dataset-service,
 * validated, trained with standardized numeric features; held-out accuracy in the range published for logistic
 * regression.
 */
@QuarkusTest
class TabularTrainingTest {

    @Inject
    TopicClient topics;

    @Test
    void shouldScoreLikePublishedLogisticRegressionOnWine() throws Exception {
        List<Map<String, Object>> records = Pipeline.ndjson(Path.of("../models/src/test/resources/datasets/wine.ndjson"));
        Map<String, Object> properties = new LinkedHashMap<>();
        List<Map<String, Object>> features = new ArrayList<>();
        records.get(0).keySet().forEach(field -> {
            if (field.equals("cultivar")) {
                properties.put(field, Map.of("type", "string"));
            } else {
                properties.put(field, Map.of("type", field.equals("id") ? "integer" : "number"));
                if (!field.equals("id")) {
                    features.add(Map.of("field", field, "type", "numeric"));
                }
            }
        });
        String name = DatasetServiceApi.uniqueName("Wine");
        String slug = DatasetServiceApi.create(Map.of("name", name, "primaryKey", "id",
                "schema", Map.of("type", "object", "required", List.of("id"), "properties", properties),
                "pipeline", Map.of("training", Map.of("labelField", "cultivar", "features", features, "holdoutFraction", 0.2, "seed", 42))));
        String version = Pipeline.commit(name, records);

        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(name, slug, version));

        ModelRegisteredEvent registered = Pipeline.registered(topics, name, 1).get(0);
        assertThat(registered.metrics().accuracy()).isGreaterThanOrEqualTo(0.92);
        assertThat(registered.metrics().macroF1()).isGreaterThanOrEqualTo(0.9);
    }
}
