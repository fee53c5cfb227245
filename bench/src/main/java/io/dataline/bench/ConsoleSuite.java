package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * console: a dataset with {@code size} versions (1,000 records, each commit changing one), then every console page a
 * person opens most, logged in as the admin, each {@value #ROUNDS} times after {@value #WARM_UP} warm-ups: the
 * board (all datasets and this one), the commit log (first and last page), a version, the records browser and a key
 * lookup, the diff with the parent and with the first version, the validation report, the models and the model, the
 * operations page. Target: every page's p95 under 300 ms (the round trip a browser would wait for the HTML).
 */
final class ConsoleSuite extends Suite {

    static final int ROUNDS = 20;
    static final int WARM_UP = 3;
    static final double TARGET_MILLIS = 300;
    static final int RECORDS = 1000;

    ConsoleSuite() {
        super("console", "versions of the dataset the pages show", 1000, true);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        String dataset = "bench-console-" + UUID.randomUUID().toString().substring(0, 8);
        long salt = Records.freshSalt();
        context.api().createDataset(dataset, null);
        context.progress("dataset with %,d versions: committing...", size);
        String first = context.api().commitNdjson(dataset, "initial", () -> CommitScaling.ndjson(0, RECORDS, 0, salt)).path("hash").asText();
        String head = first;
        String parent = first;
        for (long v = 1; v < size; v++) {
            byte[] change = Records.lineBytes(v % RECORDS, (int) v, salt);
            parent = head;
            head = context.api().commitNdjson(dataset, "change " + v, () -> new ByteArrayInputStream(change)).path("hash").asText();
            if (v % 200 == 0) {
                context.progress("%,d versions", v + 1);
            }
        }
        String console = context.stack().url("console");
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        login(browser, console, context.stack().adminKey());
        String d = "/datasets/" + dataset;
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("board, all datasets", "/");
        pages.put("board, this dataset", "/?dataset=" + dataset);
        pages.put("commit log, newest page", d);
        pages.put("commit log, oldest page", d + "?page=" + Math.max(0, (size - 1) / 50));
        pages.put("version", d + "/versions/" + head);
        pages.put("records browser", d + "/versions/" + head + "/records");
        pages.put("records browser, a key", d + "/versions/" + head + "/records?key=" + Records.key(RECORDS / 2));
        pages.put("diff with the parent", d + "/diff?from=" + parent + "&to=" + head);
        pages.put("diff with the first version", d + "/diff?from=" + first + "&to=" + head);
        pages.put("validation report", d + "/versions/" + head + "/validation");
        pages.put("models", "/models");
        pages.put("operations", "/operations");
        awaitReport(context, dataset, head);
        Report.Table table = report.table("pages", "console pages, " + String.format("%,d", size) + " versions of " + RECORDS
                + " records (round trip, logged in, " + ROUNDS + " each)", "page", "page", "p50 ms", "p50", "p95 ms", "p95");
        boolean met = true;
        double worst = 0;
        String slowest = "";
        for (Map.Entry<String, String> page : pages.entrySet()) {
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < WARM_UP + ROUNDS; i++) {
                double took = get(browser, console + page.getValue());
                if (i >= WARM_UP) {
                    millis.add(took);
                }
            }
            double p95 = Stats.percentile(millis, 95);
            table.row().put("page", page.getKey()).put("p50", Stats.median(millis)).put("p95", p95);
            met &= p95 < TARGET_MILLIS;
            if (p95 > worst) {
                worst = p95;
                slowest = page.getKey();
            }
        }
        report.json().put("versions", size).put("records", RECORDS);
        report.target("every console page renders in under 300 ms (p95) with " + String.format("%,d", size) + " versions", met,
                "slowest: " + slowest + ", p95 " + Stats.format(worst) + " ms");
        report.note("the console renders on the server from the services' APIs with the caller's key; these are the HTML round trips "
                + "(the board also opens its live stream, and the charts draw in the browser afterwards)");
    }

    private static void login(HttpClient browser, String console, String key) throws IOException, InterruptedException {
        HttpResponse<String> form = browser.send(HttpRequest.newBuilder(URI.create(console + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        if (!token.find()) {
            throw new IllegalStateException("no login form at " + console + "/login");
        }
        String body = "apiKey=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(URI.create(console + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 303) {
            throw new IllegalStateException("console login answered " + answer.statusCode());
        }
    }

    private static double get(HttpClient browser, String url) throws IOException, InterruptedException {
        long started = System.nanoTime();
        HttpResponse<byte[]> page = browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        double millis = (System.nanoTime() - started) / 1e6;
        if (page.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + page.statusCode() + ": " + new String(page.body(), StandardCharsets.UTF_8));
        }
        return millis;
    }

    /** The head's validation report exists before its page is measured. */
    private static void awaitReport(Context context, String dataset, String head) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode lineage = context.api().get("/datasets/" + Api.segment(dataset) + "/versions/" + head + "/pipeline");
            for (JsonNode stage : lineage.path("stages")) {
                if (stage.path("stage").asText().equals("validation")) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no validation of " + head + " within 5 minutes");
    }
}
