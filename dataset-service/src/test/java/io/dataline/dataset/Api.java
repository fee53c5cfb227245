package io.dataline.dataset;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helpers for the REST API: requests with the admin key, and a typical dataset. */
public final class Api {

    public static final String ADMIN_KEY = "test-admin-key-0123456789";

    private Api() {
    }

    public static RequestSpecification admin() {
        return as(ADMIN_KEY);
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    /** A unique dataset name for one test. */
    public static String uniqueName(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The feedback schema: id (string key), feedback, sentiment, category. */
    public static Map<String, Object> feedbackSchema() {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("id", Map.of("type", "string"));
        properties.put("feedback", Map.of("type", "string", "minLength", 1));
        properties.put("sentiment", Map.of("enum", List.of("positive", "negative", "neutral")));
        properties.put("category", Map.of("type", "string"));
        properties.put("score", Map.of("type", "number"));
        return Map.of("type", "object", "required", List.of("id", "feedback", "sentiment"), "properties", properties,
                "additionalProperties", false);
    }

    /** Creates a feedback dataset and returns its slug. */
    /** Stages one record (key {@code a}) and commits it: the new version's hash. */
    public static String commitOne(String name, String message) {
        stage(name, List.of(feedback("a", "x", "positive"))).then().statusCode(200);
        return commit(name, message).then().statusCode(201).extract().path("hash");
    }

    /** A new feedback dataset with a unique name starting with {@code prefix}: its name. */
    public static String newFeedbackDataset(String prefix) {
        String name = uniqueName(prefix);
        createFeedbackDataset(name);
        return name;
    }

    public static String createFeedbackDataset(String name) {
        return admin().contentType(ContentType.JSON)
                .body(Map.of("name", name, "primaryKey", "id", "schema", feedbackSchema()))
                .post("/datasets").then().statusCode(201).extract().path("slug");
    }

    public static Response stage(String dataset, Object records) {
        return admin().contentType(ContentType.JSON).body(records).post("/datasets/{d}/records", dataset);
    }

    public static Response commit(String dataset, String message) {
        return admin().contentType(ContentType.JSON).body(Map.of("message", message)).post("/datasets/{d}/commits", dataset);
    }

    /** Stages the records on a branch and commits them there; the new version's hash. */
    public static String commitOn(String dataset, String branch, List<Map<String, Object>> records) {
        admin().contentType(ContentType.JSON).body(records).post("/datasets/" + dataset + "/branches/" + branch + "/records").then().statusCode(200);
        return admin().contentType(ContentType.JSON).body(Map.of("message", "on " + branch))
                .post("/datasets/" + dataset + "/branches/" + branch + "/commits").then().statusCode(201).extract().path("hash");
    }

    public static Map<String, Object> feedback(String id, String text, String sentiment) {
        return Map.of("id", id, "feedback", text, "sentiment", sentiment, "category", "UI/UX");
    }

    /** NDJSON feedback records {@code r<from>} to {@code r<to - 1>}, all with this sentiment. */
    public static String ndjson(int from, int to, String sentiment) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = from; i < to; i++) {
            ndjson.append("{\"id\": \"r").append(i).append("\", \"feedback\": \"text ").append(i).append("\", \"sentiment\": \"")
                    .append(sentiment).append("\"}\n");
        }
        return ndjson.toString();
    }
}
