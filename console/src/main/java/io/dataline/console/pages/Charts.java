package io.dataline.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a chart draws, as the JSON the page's script reads from a {@code data-chart} attribute and hands to ECharts:
 * {@code distribution} (bars of two distributions side by side) or {@code confusion} (a heatmap). {@code null} when
 * the service kept nothing to draw.
 */
final class Charts {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Charts() {
    }

    /** A drift field's base and current distributions ({@code distribution} of a validation report's drift entry). */
    static String distribution(JsonNode field, String base) {
        JsonNode distribution = field.path("distribution");
        if (!distribution.isObject()) {
            return null;
        }
        ObjectNode chart = chart("distribution", distribution, "bins", "base", "current");
        chart.put("baseLabel", "base " + (base.length() > 12 ? base.substring(0, 12) : base));
        chart.put("currentLabel", "this version");
        return chart.toString();
    }

    /** A model's confusion matrix ({@code metrics.confusionMatrix}: labels, rows by actual label). */
    static String confusion(JsonNode matrix) {
        return matrix.isObject() ? chart("confusion", matrix, "labels", "matrix").toString() : null;
    }

    private static ObjectNode chart(String type, JsonNode from, String... fields) {
        ObjectNode chart = MAPPER.createObjectNode();
        chart.put("type", type);
        for (String field : fields) {
            chart.set(field, from.path(field));
        }
        return chart;
    }
}
