package io.dataline.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.models.HoldoutSplit;
import io.dataline.models.TrainingSpec;
import io.dataline.service.DatasetServiceClient;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset version's records, read from dataset-service in key order and split by {@link HoldoutSplit} on the
 * dataset's primary key: the same version and spec always give the same two lists in the same order.
 */
public record VersionData(String dataset, String datasetSlug, String dataVersion, String dataHash, List<JsonNode> training,
        List<JsonNode> heldOut) {

    public static VersionData load(DatasetServiceClient datasets, String datasetSlug, String dataVersion, TrainingSpec spec) {
        JsonNode dataset = datasets.dataset(datasetSlug);
        String primaryKey = dataset.path("primaryKey").asText();
        JsonNode version = datasets.version(datasetSlug, dataVersion);
        HoldoutSplit split = HoldoutSplit.of(spec);
        List<JsonNode> training = new ArrayList<>();
        List<JsonNode> heldOut = new ArrayList<>();
        datasets.forEachRecord(datasetSlug, dataVersion, record -> (split.isHeldOut(record.get(primaryKey)) ? heldOut : training).add(record));
        return new VersionData(dataset.path("name").asText(), datasetSlug, dataVersion, version.path("dataHash").asText(), training, heldOut);
    }
}
