package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.dataset.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Covers {@code GET /pipelines}: the newest commits of every dataset the key may use (on any branch, a few per
 * dataset), newest first, each with the same pipeline {@code GET /datasets/{d}/versions/{v}/pipeline} shows; or one
 * dataset's; a dataset the key may not use is not there, nor can it be asked for; limits out of range are a 422, and not a
 * number a 400.
 */
@QuarkusTest
@SuppressWarnings("unchecked")
class RecentPipelinesTest {

    private static String commit(String dataset, String key) {
        return Api.commitOn(dataset, "main", List.of(Api.feedback(key, "text of " + key, "positive")));
    }

    private static String readKey(String name, List<String> datasets) {
        return Api.admin().contentType(ContentType.JSON).body(Map.of("name", name, "scopes", List.of("read"), "datasets", datasets))
                .post("/api-keys").then().statusCode(201).extract().path("key");
    }

    private static List<Map<String, Object>> recent(String key, String query) {
        return Api.as(key).get("/pipelines" + query).then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath().getList("$");
    }

    @Test
    void shouldAnswerTheNewestCommitsOfTheKeysDatasetsEachWithItsPipeline() {
        String busy = Api.uniqueName("Recent busy");
        String busySlug = Api.createFeedbackDataset(busy);
        String quiet = Api.uniqueName("Recent quiet");
        String quietSlug = Api.createFeedbackDataset(quiet);
        String hidden = Api.uniqueName("Recent hidden");
        String hiddenSlug = Api.createFeedbackDataset(hidden);
        String q1 = commit(quietSlug, "q1");
        String b1 = commit(busySlug, "b1");
        String b2 = commit(busySlug, "b2");
        String b3 = commit(busySlug, "b3");
        String b4 = commit(busySlug, "b4");
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", "relabel", "from", "main")).post("/datasets/{d}/branches", quietSlug)
                .then().statusCode(201);
        String qb = Api.commitOn(quietSlug, "relabel", List.of(Api.feedback("q1", "relabelled", "negative")));
        int pull = Api.admin().contentType(ContentType.JSON).body(Map.of("from", "relabel", "into", "main", "title", "relabel"))
                .post("/datasets/{d}/pulls", quietSlug).then().statusCode(201).extract().path("number");
        commit(hiddenSlug, "h1"); // the newest of all, in a dataset the key may not use
        String key = readKey("recent-" + Api.uniqueName("k"), List.of(busy, quiet));

        List<Map<String, Object>> rows = recent(key, "?limit=30&perDataset=2");
        assertThat(rows).extracting(r -> r.get("dataVersion")).containsExactly(qb, b4, b3, q1); // two of busy's four
        assertThat(rows).extracting(r -> r.get("datasetSlug")).containsExactly(quietSlug, busySlug, busySlug, quietSlug);
        assertThat(rows).extracting(r -> r.get("dataset")).containsExactly(quiet, busy, busy, quiet);
        assertThat(rows).extracting(r -> r.get("branch")).containsExactly("relabel", "main", "main", "main");
        assertThat(rows.get(0).get("pullRequest")).isEqualTo(pull);
        assertThat(rows.get(1).get("pullRequest")).isNull();
        List<Instant> times = rows.stream().map(r -> Instant.parse((String) r.get("committedAt"))).toList();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        // each row is the version's own pipeline view, once the lineage consumer recorded the commits
        await().atMost(Duration.ofSeconds(30)).until(() -> recent(key, "?limit=30&perDataset=2").stream()
                .allMatch(r -> !((List<?>) r.get("stages")).isEmpty()));
        for (Map<String, Object> row : recent(key, "?limit=30&perDataset=2")) {
            Map<String, Object> single = Api.admin().get("/datasets/{d}/versions/{v}/pipeline", row.get("datasetSlug"), row.get("dataVersion"))
                    .then().statusCode(200).extract().jsonPath().getMap("$");
            Map<String, Object> shared = new HashMap<>(row);
            shared.remove("datasetSlug");
            shared.remove("committedAt");
            assertThat(shared).isEqualTo(single);
            assertThat(((List<Map<String, Object>>) row.get("stages")).get(0).get("stage")).isEqualTo("committed");
        }

        assertThat(recent(key, "?limit=2&perDataset=2")).extracting(r -> r.get("dataVersion")).containsExactly(qb, b4);
        assertThat(recent(key, "?perDataset=1")).extracting(r -> r.get("dataVersion")).containsExactly(qb, b4);
        assertThat(recent(key, "?dataset=" + busySlug + "&perDataset=30")).extracting(r -> r.get("dataVersion")).containsExactly(b4, b3, b2, b1);
        assertThat(recent(key, "")).extracting(r -> r.get("dataVersion")).containsExactly(qb, b4, b3, b2, b1, q1); // 30, five a dataset
        Api.as(key).get("/pipelines?dataset={d}", hiddenSlug).then().statusCode(404);
        assertThat(Api.admin().get("/pipelines?limit=1").then().statusCode(200).extract().jsonPath().<String>getList("dataset"))
                .containsExactly(hidden);
    }

    @Test
    void shouldRefuseLimitsOutOfRangeAndCallersWithoutAKey() {
        for (String query : List.of("?limit=0", "?limit=101", "?perDataset=0", "?perDataset=101")) {
            Api.admin().get("/pipelines" + query).then().statusCode(422).contentType(containsString("application/problem+json"))
                    .body("detail", containsString("limit"));
        }
        // a number that is not one is the caller's mistake, said so (JAX-RS alone answers 404), here and on every endpoint
        Api.admin().get("/pipelines?limit=many").then().statusCode(400).contentType(containsString("application/problem+json"))
                .body("detail", containsString("not of its type")).body("detail", containsString("many"));
        Api.admin().get("/datasets/{d}/versions?size=many", "no-such-dataset").then().statusCode(400);
        Api.admin().get("/no-such-endpoint").then().statusCode(404);
        RestAssured.given().get("/pipelines").then().statusCode(401);
        Api.admin().get("/pipelines?dataset=no-such-dataset").then().statusCode(404).body("detail", equalTo("no dataset named \"no-such-dataset\""));
    }
}
