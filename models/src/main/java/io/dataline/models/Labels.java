package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;

/** The label of a record as text ({@code null} when the field is absent or null: such records are not used). */
public final class Labels {

    private Labels() {
    }

    public static String of(JsonNode record, String labelField) {
        JsonNode value = record.get(labelField);
        if (value == null || value.isNull() || value.isMissingNode() || value.isContainerNode()) {
            return null;
        }
        return value.isTextual() ? value.textValue() : value.asText();
    }
}
