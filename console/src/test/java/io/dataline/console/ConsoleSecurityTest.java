package io.dataline.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * What the console enforces before any service is asked: no page, feed or action without a session; a login form
 * whose token must match its SameSite cookie; headers that allow only the console's own scripts and no framing; the
 * front-end libraries served from the application, never a CDN.
 */
@QuarkusTest
class ConsoleSecurityTest {

    static {
        RestAssured.config = RestAssured.config().redirect(RestAssured.config().getRedirectConfig().followRedirects(false));
    }

    @Test
    void shouldSendEveryPageToTheLoginFormWithoutASession() {
        for (String page : new String[] {"/", "/datasets", "/datasets/x/diff?from=a&to=b", "/models/x", "/operations"}) {
            given().get(page).then().statusCode(303).header("Location", endsWith("/login"));
        }
        given().get("/board/events").then().statusCode(401);
        given().contentType("application/x-www-form-urlencoded").formParam("csrf", "x").post("/models/x/rollback").then().statusCode(401);
        given().cookie("dataline_session", "forged").get("/").then().statusCode(303);
    }

    @Test
    void shouldRefuseALoginFormPostedFromElsewhere() {
        Response form = given().get("/login");
        form.then().statusCode(200).contentType(containsString("text/html"))
                .header("Set-Cookie", allOf(containsString("dataline_login="), containsString("HttpOnly"), containsString("SameSite=Strict")))
                .body(containsString("name=\"apiKey\"")).body(containsString("name=\"csrf\""));
        // another site can post the form, but cannot read or set the SameSite cookie that must match its token
        given().contentType("application/x-www-form-urlencoded").formParam("apiKey", "k").formParam("csrf", "guessed")
                .post("/login").then().statusCode(403).body(containsString("The form expired"));
        String token = form.cookie("dataline_login");
        given().cookie("dataline_login", token).contentType("application/x-www-form-urlencoded").formParam("apiKey", "k")
                .formParam("csrf", token + "x").post("/login").then().statusCode(403);
    }

    @Test
    void shouldMakeAnAddressWaitAfterTenRefusedLogins() {
        for (int i = 0; i < 10; i++) { // a blank key is refused without asking dataset-service
            String token = given().get("/login").cookie("dataline_login");
            given().cookie("dataline_login", token).contentType("application/x-www-form-urlencoded").formParam("apiKey", " ")
                    .formParam("csrf", token).post("/login").then().statusCode(401).body(containsString("not valid"));
        }
        String token = given().get("/login").cookie("dataline_login");
        given().cookie("dataline_login", token).contentType("application/x-www-form-urlencoded").formParam("apiKey", " ")
                .formParam("csrf", token).post("/login").then().statusCode(429).header("Retry-After", matchesPattern("[0-9]+"))
                .body(containsString("Too many refused logins"));
    }

    @Test
    void shouldAllowOnlyItsOwnScriptsAndNoFraming() {
        given().get("/login").then()
                .header("Content-Security-Policy", allOf(containsString("script-src 'self'"), containsString("frame-ancestors 'none'")))
                .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-store");
    }

    @Test
    void shouldServeItsScriptAndTheChartLibraryItself() {
        given().get("/static/console.js").then().statusCode(200).body(containsString("EventSource"));
        given().get("/webjars/echarts/5.3.1/dist/echarts.min.js").then().statusCode(200);
    }
}
