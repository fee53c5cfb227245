package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (headless Chromium driven by Selenium) against the real stack, started with
 * {@code ./dataline up} and filled by the demo: log in, see the demo dataset on the board, commit through the API and
 * watch the new row reach {@code promoted} without a reload, open its diff with the changed field highlighted, open
 * its validation report with the drift chart drawn, roll staging back and see the audit row; a read key sees no
 * rollback button and gets 403 when it posts the form anyway. Screenshots of each page go to
 * {@code console/target/screenshots}. Needs Debian's {@code chromium} and {@code chromium-driver}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    static final String DRIVER = System.getProperty("dataline.chromedriver", "/usr/bin/chromedriver");
    static final String BROWSER = System.getProperty("dataline.chromium", "/usr/bin/chromium");
    static final String MODEL = "customer-feedback-analysis";
    static final Path SCREENSHOTS = Path.of("..", "console", "target", "screenshots");
    static final Duration LIVE = Duration.ofMinutes(3);

    static StackUnderTest stack;
    static WebDriver browser;
    static String committed;
    static io.dataline.testsupport.RecordingServer hooks;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(new File(DRIVER).canExecute() && new File(BROWSER).canExecute(),
                "needs chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
        stack = new StackUnderTest(Files.createTempDirectory("dataline-console-it"));
        StackUnderTest.Result up = stack.run("up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        StackUnderTest.Result demo = stack.run("demo");
        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("Follow it live on the board: " + stack.console());
        hooks = new io.dataline.testsupport.RecordingServer();
        stack.json("POST", stack.datasets() + "/datasets/" + MODEL + "/webhooks", Map.of("url", hooks.url("/hook"), "events", List.of("committed")), 201);
        Files.createDirectories(SCREENSHOTS);
        browser = browser();
    }

    @AfterAll
    static void down() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (hooks != null) {
            hooks.close();
        }
        if (stack != null) {
            StackUnderTest.Result down = stack.down();
            assertThat(down.exitCode()).as(down.output()).isZero();
        }
    }

    static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    @Order(1)
    void shouldLogInAndShowTheDemoDatasetOnTheBoard() throws Exception {
        browser.get(stack.console() + "/");
        assertThat(browser.getCurrentUrl()).endsWith("/login"); // no session: the login form
        login(StackUnderTest.ADMIN_KEY);

        WebElement rows = waitFor(By.id("rows"));
        assertThat(rows.getText()).contains("Customer Feedback Analysis").contains("Added Q4 2023 feedback data");
        assertThat(live(Duration.ofSeconds(10)).<String>until(d -> d.findElements(By.cssSelector("#rows tr.row")).get(0).getAttribute("data-outcome")))
                .isIn("promoted", "rejected");
        assertThat(browser.manage().getCookieNamed("dataline_session").isHttpOnly()).isTrue();
        assertThat(browser.getPageSource()).doesNotContain(StackUnderTest.ADMIN_KEY);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("live"), "live"));
        screenshot("board");
    }

    @Test
    @Order(2)
    void shouldShowANewCommitReachPromotedLiveWithoutAReload() throws Exception {
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        stack.json("POST", stack.datasets() + "/datasets/" + MODEL + "/records", List.of(
                Map.of("id", "usr_125", "feedback", "The new UI is fantastic!", "sentiment", "positive", "category", "web"),
                Map.of("id", "usr_901", "feedback", "Checkout was quick and easy", "sentiment", "positive", "category", "app")), 200);
        committed = stack.json("POST", stack.datasets() + "/datasets/" + MODEL + "/commits", Map.of("message", "console: relabel usr_125"), 201)
                .path("hash").asText();

        By promoted = By.cssSelector("tr[id='row-" + MODEL + ":" + committed + "'] td[data-step='promoted'].done");
        live(LIVE).until(ExpectedConditions.presenceOfElementLocated(promoted));
        By row = By.id("row-" + MODEL + ":" + committed); // read again on each try: the board swaps rows as events arrive
        assertThat(live(Duration.ofSeconds(10)).<String>until(d -> d.findElement(row).getAttribute("data-outcome"))).isEqualTo("promoted");
        assertThat(live(Duration.ofSeconds(10)).<String>until(d -> d.findElement(row).getText())).contains("console: relabel usr_125");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;")).isEqualTo(true);
        screenshot("board-live");
    }

    @Test
    @Order(3)
    void shouldOpenTheDiffWithTheChangedFieldHighlighted() throws Exception {
        browser.findElement(By.cssSelector("tr[id='row-" + MODEL + ":" + committed + "'] a.version")).click();
        waitFor(By.id("diff-parent")).click();

        waitFor(By.id("diff-counts"));
        assertThat(browser.findElement(By.id("diff-counts")).getText()).contains("1 added").contains("1 updated").contains("0 deleted");
        assertThat(browser.findElement(By.id("added-keys")).getText()).contains("usr_901");
        WebElement change = browser.findElement(By.cssSelector("table.record-change[data-key='usr_125']"));
        List<WebElement> highlighted = change.findElements(By.cssSelector("tr.added td.changed-field"));
        assertThat(highlighted).extracting(WebElement::getText).containsExactly("web");
        screenshot("diff");
    }

    @Test
    @Order(4)
    void shouldOpenTheValidationReportWithTheDriftChartDrawn() throws Exception {
        browser.get(stack.console() + "/datasets/" + MODEL + "/versions/" + committed);
        browser.findElement(By.linkText("Validation report")).click();

        assertThat(waitFor(By.id("verdict")).getText()).startsWith("Passed");
        assertThat(browser.findElement(By.id("checks")).getText()).contains("allowedValues").contains("maxJensenShannon");
        WebElement chart = new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".drift[data-field='sentiment'] [data-drawn='true']")));
        assertThat(chart.findElements(By.tagName("canvas"))).isNotEmpty();
        screenshot("validation");
    }

    @Test
    @Order(5)
    void shouldRollStagingBackAndShowTheAuditRow() throws Exception {
        browser.get(stack.console() + "/models/" + MODEL);
        int before = browser.findElements(By.cssSelector("#audit tr.audit-row")).size();
        String staged = browser.findElement(By.id("staging")).getText();
        screenshot("model");

        browser.findElement(By.id("rollback")).click();
        browser.switchTo().alert().accept(); // "Move staging back ...?"

        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("#audit tr.audit-row")).size() == before + 1);
        assertThat(browser.findElements(By.cssSelector("#audit tr.audit-row")).get(0).getText()).contains("rollback");
        assertThat(browser.findElement(By.id("staging")).getText()).isNotEqualTo(staged);
        JsonNode stages = stack.json("GET", stack.deploy() + "/models/" + MODEL + "/stages", null, 200);
        assertThat(browser.findElement(By.id("staging")).getText()).contains("v" + stages.path("staging").path("version").asInt());

        browser.findElement(By.cssSelector("#versions a")).click(); // the newest version: metrics, confusion matrix, lineage
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#confusion[data-drawn='true']")));
        assertThat(browser.findElement(By.id("lineage")).getText()).contains(committed);
        screenshot("model-version");
    }

    @Test
    @Order(6)
    void shouldShowADeadLetterLiveAndReplayItFromTheOperationsPage() throws Exception {
        browser.get(stack.console() + "/");
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("live"), "live"));
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of("bootstrap.servers", "127.0.0.1:" + stack.kafka),
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("dataset.committed", "Customer Feedback Analysis", "not an event"))
                    .get();
        }
        String dlq = "dataset.committed.validation-service.dlq";
        new WebDriverWait(browser, LIVE).until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), dlq));

        browser.get(stack.console() + "/operations");
        WebElement letters = waitFor(By.cssSelector("table.dead-letters"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(dlq);
        assertThat(letters.getText()).contains("Customer Feedback Analysis");
        screenshot("operations");
        browser.findElement(By.xpath("//h3[contains(., '" + dlq + "')]/following-sibling::table[1]//button[text()='Replay']")).click();
        awaitDone("replayed 1 from " + dlq);

        // the webhook registered before the commit: its delivery in the log, and a redelivery of it
        WebElement deliveries = browser.findElement(By.cssSelector("table.deliveries"));
        assertThat(deliveries.getText()).contains("committed").contains("delivered");
        int received = hooks.received().size();
        deliveries.findElement(By.xpath(".//button[text()='Redeliver']")).click();
        awaitDone("delivery queued again"); // the page before the click has a #done of its own (the replay's)
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> hooks.received().size() > received);
    }

    @Test
    @Order(7)
    void shouldOfferALimitedReadKeyNoRollbackAndRefuseItsPostedForm() throws Exception {
        // a read key limited to the demo dataset: it sees that dataset and its model, acts on nothing
        String readKey = stack.json("POST", stack.datasets() + "/api-keys", Map.of("name", "console-reader", "scopes", List.of("read"),
                "datasets", List.of(MODEL)), 201).path("key").asText();
        browser.findElement(By.cssSelector("form.logout button")).click();
        waitFor(By.id("apiKey"));
        login(readKey);
        browser.get(stack.console() + "/models/" + MODEL);
        waitFor(By.id("audit"));
        assertThat(browser.findElements(By.id("rollback"))).isEmpty();

        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const csrf = document.querySelector('form.logout input[name=csrf]').value;"
                        + "fetch('/models/" + MODEL + "/rollback', {method: 'POST', redirect: 'manual',"
                        + " headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'csrf=' + encodeURIComponent(csrf)})"
                        + ".then(r => done(r.status)).catch(e => done(String(e)));");
        assertThat(status).isEqualTo(403L);

        browser.get(stack.console() + "/models");
        assertThat(waitFor(By.tagName("main")).getText()).contains(MODEL);
        assertThat(sessionCookieBehindTls(readKey)).contains("HttpOnly").contains("SameSite=Strict").contains("Secure");
        browser.get(stack.console() + "/operations"); // what a read key may see of operations: no replay, no webhooks
        assertThat(waitFor(By.tagName("main")).getText()).contains("Webhooks are shown to write and admin keys")
                .contains("Dead letters are shown to keys that see every dataset");
        assertThat(browser.findElements(By.xpath("//button[text()='Replay']"))).isEmpty();
    }

    @Test
    @Order(8)
    void shouldShowABranchCommitAsItsCandidateIsEvaluatedAndKeepItAfterAReload() throws Exception {
        browser.get(stack.console() + "/"); // still the read key: it sees the board live too
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("live"), "live"));
        stack.json("POST", stack.datasets() + "/datasets/" + MODEL + "/branches", Map.of("name", "relabel", "from", "main"), 201);
        stack.json("POST", stack.datasets() + "/datasets/" + MODEL + "/branches/relabel/records",
                List.of(Map.of("id", "usr_902", "feedback", "Support answered within minutes", "sentiment", "positive", "category", "app")), 200);
        String candidate = stack.json("POST", stack.datasets() + "/datasets/" + MODEL + "/branches/relabel/commits",
                Map.of("message", "console: a branch commit"), 201).path("hash").asText();

        By row = By.id("row-" + MODEL + ":" + candidate);
        live(LIVE).until(d -> !d.findElements(row).isEmpty()
                && d.findElement(row).findElement(By.cssSelector("td[data-step='promoted']")).getText().startsWith("candidate"));
        assertThat(live(Duration.ofSeconds(10)).<String>until(d -> d.findElement(row).findElement(By.className("branch")).getText())).isEqualTo("relabel");
        browser.navigate().refresh();
        waitFor(row);
        assertThat(live(Duration.ofSeconds(10)).<String>until(d -> d.findElement(row).getText())).contains("console: a branch commit").contains("candidate");

        live(Duration.ofSeconds(10)).<Boolean>until(d -> { // its dataset: branches, logs
            d.findElement(row).findElement(By.linkText("Customer Feedback Analysis")).click();
            return true;
        });
        browser.findElement(By.linkText("relabel")).click();
        assertThat(waitFor(By.id("log")).getText()).contains("console: a branch commit").contains(candidate.substring(0, 12));
        screenshot("dataset");
    }

    /** A login through a proxy terminating TLS ({@code X-Forwarded-Proto: https}): the session cookie it sets. */
    private static String sessionCookieBehindTls(String key) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> form = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.console() + "/login"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        String token = form.headers().firstValue("Set-Cookie").orElseThrow().replaceAll("^dataline_login=([^;]+);.*$", "$1");
        java.net.http.HttpResponse<String> login = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.console() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "dataline_login=" + token)
                .header("X-Forwarded-Proto", "https")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("apiKey=" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
                        + "&csrf=" + token)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(303);
        return login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("dataline_session=")).findFirst().orElseThrow();
    }

    private static void login(String key) {
        WebElement field = waitFor(By.id("apiKey"));
        field.sendKeys(key);
        browser.findElement(By.id("login")).click();
        waitFor(By.id("rows"));
    }

    private static WebElement waitFor(By locator) {
        return live(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(locator));
    }

    /**
     * Waits for the page a form's POST redirected to, whose {@code #done} says what was done: read again until it says
     * {@code expected}, since the page the button was on may still show (with a {@code #done} of its own) and go stale
     * while it is read (CI once failed on exactly that).
     */
    private static void awaitDone(String expected) {
        live(Duration.ofSeconds(20)).withMessage(() -> "#done saying " + expected)
                .until(d -> d.findElement(By.id("done")).getText().contains(expected));
    }

    /**
     * A wait that tries again when an element it read went stale: the board replaces a row whenever an event about its
     * version arrives, so a row found a moment ago may be gone (CI once failed on exactly that).
     */
    private static WebDriverWait live(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private static void screenshot(String page) throws Exception {
        Files.write(SCREENSHOTS.resolve(page + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
