package io.dataline.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helper: drives the real dataset-service (create, stage, commit) so versions reach the service under test for real. */
public final class DatasetServiceApi {

    private DatasetServiceApi() {
    }

    public static RequestSpecification request() {
        return given().baseUri(DatasetServiceProcess.instance().url()).port(-1)
                .header("Authorization", "Bearer " + DatasetServiceProcess.ADMIN_KEY);
    }

    public static String uniqueName(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a feedback dataset (id, feedback, sentiment, score) with the given validation rules; returns its slug. */
    public static String create(String name, Map<String, Object> validation) {
        return createFeedback(name, validation == null ? null : Map.of("validation", validation));
    }

    /**
     * Creates a feedback dataset (id required; feedback, sentiment, category text, score a number) with this pipeline
     * (null: none); returns its slug.
     */
    public static String createFeedback(String name, Map<String, Object> pipeline) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("id", Map.of("type", "string"));
        properties.put("feedback", Map.of("type", "string"));
        properties.put("sentiment", Map.of("type", "string"));
        properties.put("score", Map.of("type", "number"));
        properties.put("category", Map.of("type", "string"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("primaryKey", "id");
        body.put("schema", Map.of("type", "object", "required", List.of("id"), "properties", properties));
        if (pipeline != null) {
            body.put("pipeline", pipeline);
        }
        return create(body);
    }

    /** Creates a dataset from a full request body ({@code name}, {@code primaryKey}, {@code schema}, {@code pipeline}); returns its slug. */
    public static String create(Map<String, Object> body) {
        return request().contentType(ContentType.JSON).body(body).post("/datasets").then().statusCode(201).extract().path("slug");
    }

    /** Stages the records and commits them; returns the version's hash. */
    public static String commit(String dataset, List<Map<String, Object>> records, String traceparent) {
        request().contentType(ContentType.JSON).body(records).post("/datasets/{d}/records", dataset).then().statusCode(200);
        RequestSpecification commit = request().contentType(ContentType.JSON).body(Map.of("message", "test commit"));
        if (traceparent != null) {
            commit = commit.header("traceparent", traceparent);
        }
        return commit.post("/datasets/{d}/commits", dataset).then().statusCode(201).extract().path("hash");
    }

    public static Map<String, Object> record(String id, String feedback, String sentiment) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        record.put("feedback", feedback);
        record.put("sentiment", sentiment);
        return record;
    }
}
