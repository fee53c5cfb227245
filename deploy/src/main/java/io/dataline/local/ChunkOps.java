package io.dataline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code chunks}, {@code chunks migrate <dataset> --to s3|postgres} and {@code chunks sweep [--grace PT1H]}: where
 * dataset-service keeps the chunks of versions, moving one dataset's to the other back-end (verified by hash), and
 * deleting objects no chunk row points to (admin key, dataset-service's {@code /chunks}).
 */
final class ChunkOps {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final AdminHttp http;
    private final PrintStream out;

    ChunkOps(String url, String adminKey, PrintStream out) {
        this.url = url;
        this.http = new AdminHttp(adminKey);
        this.out = out;
    }

    void run(String[] args) throws IOException, InterruptedException {
        if (args.length == 1) {
            JsonNode where = send("GET", "/chunks", null, Duration.ofSeconds(30));
            out.printf("New chunks go to %s%s. In the database: %d chunks; in object storage: %d.%n", where.path("backend").asText(),
                    where.path("bucket").isTextual() ? " (bucket " + where.path("bucket").asText() + ")" : "",
                    where.path("inDatabase").asLong(), where.path("inObjectStorage").asLong());
        } else if (args.length == 5 && args[1].equals("migrate") && args[3].equals("--to")) {
            out.printf("Moving the chunks of %s to %s...%n", args[2], args[4]);
            JsonNode moved = send("POST", "/chunks/migrate", JSON.writeValueAsString(Map.of("dataset", args[2], "to", args[4])), Duration.ofHours(6));
            out.printf("%s: %d chunks in its versions, %d moved to %s (%,d bytes), each checked against its hash.%n",
                    moved.path("dataset").asText(), moved.path("chunks").asLong(), moved.path("moved").asLong(), moved.path("to").asText(),
                    moved.path("bytes").asLong());
        } else if ((args.length == 2 || args.length == 4 && args[2].equals("--grace")) && args[1].equals("sweep")) {
            String query = args.length == 4 ? "?grace=" + URLEncoder.encode(args[3], StandardCharsets.UTF_8) : "";
            JsonNode swept = send("POST", "/chunks/sweep" + query, null, Duration.ofHours(1));
            out.printf("Looked at %d objects, deleted %d that no chunk row points to%s.%n", swept.path("examined").asLong(),
                    swept.path("deleted").asLong(), swept.path("deferred").asLong() == 0 ? ""
                            : "; " + swept.path("deferred").asLong() + " left for the next sweep (commits were writing)");
        } else {
            throw new LauncherException("usage: ./dataline chunks | ./dataline chunks migrate <dataset> --to s3|postgres"
                    + " | ./dataline chunks sweep [--grace PT1H]");
        }
    }

    private JsonNode send(String method, String path, String body, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send("dataset-service", url, method, path, body, timeout);
        if (answer.statusCode() != 200) {
            String detail = answer.body();
            try {
                detail = JSON.readTree(answer.body()).path("detail").asText(answer.body());
            } catch (IOException notJson) {
                // the body as it came
            }
            throw new LauncherException("dataset-service answered " + answer.statusCode() + ": " + detail);
        }
        return JSON.readTree(answer.body());
    }
}
