package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A dataset as the API shows it. */
public record DatasetView(String name, String slug, String description, String primaryKey, JsonNode schema, int schemaVersion,
        int pipelineRevision, String head, Instant createdAt) {
}
