package io.dataline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads from dataset-service with the calling service's own key: datasets, versions, pinned pipeline revisions and
 * schema versions, and a version's records as a stream of NDJSON lines (one record in memory at a time). A 404 means
 * the event names something that does not exist ({@link UnprocessableEventException}); anything else that is not an
 * answer is {@link DatasetServiceUnavailableException}. The key is sent as a Bearer token and never logged.
 */
public class DatasetServiceClient {

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final String serviceKey;

    public DatasetServiceClient(String baseUrl, String serviceKey, Duration connectTimeout, ObjectMapper mapper) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.serviceKey = serviceKey;
        this.mapper = mapper;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public JsonNode dataset(String dataset) {
        return json("/datasets/" + segment(dataset), "dataset \"" + dataset + "\"");
    }

    public JsonNode version(String dataset, String version) {
        return json("/datasets/" + segment(dataset) + "/versions/" + segment(version), "version " + version + " of \"" + dataset + "\"");
    }

    public JsonNode pipelineRevision(String dataset, int revision) {
        return json("/datasets/" + segment(dataset) + "/pipeline/revisions/" + revision, "pipeline revision " + revision + " of \"" + dataset + "\"");
    }

    public JsonNode schemaVersion(String dataset, int version) {
        return json("/datasets/" + segment(dataset) + "/schema/versions/" + version, "schema version " + version + " of \"" + dataset + "\"");
    }

    /** The URL of a version's records (NDJSON), for trainers that read them themselves. */
    public String recordsUrl(String dataset, String version) {
        return baseUrl + "/datasets/" + segment(dataset) + "/versions/" + segment(version) + "/records";
    }

    /**
     * Streams every record of a version, in key order, and checks that as many arrived as the version holds: a stream
     * cut short (dataset-service stopped mid-export) fails as {@link DatasetServiceUnavailableException}, to be read
     * again, instead of passing as a smaller version.
     */
    public void forEachRecord(String dataset, String version, Consumer<JsonNode> action) {
        long expected = version(dataset, version).path("recordCount").asLong(-1);
        long[] read = {0};
        streamRecords(dataset, version, record -> {
            read[0]++;
            action.accept(record);
        });
        if (expected >= 0 && read[0] != expected) {
            throw new DatasetServiceUnavailableException("read " + read[0] + " records of version " + version + " of \"" + dataset
                    + "\", which holds " + expected + ": the export was cut short", null);
        }
    }

    private void streamRecords(String dataset, String version, Consumer<JsonNode> action) {
        HttpResponse<InputStream> response = send("/datasets/" + segment(dataset) + "/versions/" + segment(version) + "/records",
                "application/x-ndjson", HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            check(response.statusCode(), "records of version " + version + " of \"" + dataset + "\"");
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isEmpty()) {
                    action.accept(mapper.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new DatasetServiceUnavailableException("reading records of " + version + " from dataset-service failed: " + e.getMessage(), e);
        }
    }

    private JsonNode json(String path, String what) {
        HttpResponse<String> response = send(path, "application/json", HttpResponse.BodyHandlers.ofString());
        check(response.statusCode(), what);
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new DatasetServiceUnavailableException("dataset-service answered with bad JSON for " + what, e);
        }
    }

    private <T> HttpResponse<T> send(String path, String accept, HttpResponse.BodyHandler<T> handler) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + serviceKey)
                .header("Accept", accept)
                .timeout(Duration.ofMinutes(10))
                .GET().build();
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new DatasetServiceUnavailableException("dataset-service is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetServiceUnavailableException("interrupted", e);
        }
    }

    private static void check(int status, String what) {
        if (status == 404) {
            throw new UnprocessableEventException(what + " does not exist in dataset-service");
        }
        if (status == 401 || status == 403) {
            throw new DatasetServiceUnavailableException("dataset-service refused this service's key (" + status + ") for " + what, null);
        }
        if (status != 200) {
            throw new DatasetServiceUnavailableException("dataset-service answered " + status + " for " + what, null);
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
