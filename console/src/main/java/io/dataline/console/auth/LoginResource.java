package io.dataline.console.auth;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestForm;

/**
 * {@code /login} (a form posting {@code apiKey}) and {@code /logout}. The login form is protected against cross-site
 * posting by a token that must match a {@code SameSite=Strict} cookie set with the form; afterwards the session's own
 * token protects every form. Refused logins are throttled per client address ({@link LoginThrottle}).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class LoginResource {

    static final String LOGIN_COOKIE = "dataline_login";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String csrf, String error);
    }

    @Inject
    Sessions sessions;

    @Inject
    SessionFilter.Current current;

    @Inject
    LoginThrottle throttle;

    @GET
    @Path("login")
    public Response form() {
        return form(200, null);
    }

    @POST
    @Path("login")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@RestForm String apiKey, @RestForm String csrf, @CookieParam(LOGIN_COOKIE) String expected,
            @Context UriInfo uri, @Context HttpServerRequest request) {
        boolean tls = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
        if (expected == null || csrf == null || !java.security.MessageDigest.isEqual(expected.getBytes(), csrf.getBytes())) {
            return form(403, "The form expired; please try again.");
        }
        String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        Duration wait = throttle.wait(address, Instant.now());
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return formWith(429, "Too many refused logins from your address; try again in " + seconds + " s.")
                    .header(HttpHeaders.RETRY_AFTER, seconds).build();
        }
        Optional<Session> session = sessions.login(apiKey);
        if (session.isEmpty()) {
            throttle.refused(address, Instant.now());
            return form(401, "That API key is not valid (unknown or revoked).");
        }
        throttle.accepted(address);
        return Response.seeOther(URI.create("/")).header(HttpHeaders.SET_COOKIE, sessions.cookie(session.get(), tls))
                .header(HttpHeaders.SET_COOKIE, LOGIN_COOKIE + "=; Path=/login; Max-Age=0; HttpOnly; SameSite=Strict").build();
    }

    @POST
    @Path("logout")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@RestForm String csrf) {
        Session session = current.get();
        if (!Sessions.csrfMatches(session, csrf)) {
            return Response.status(403).type(MediaType.TEXT_PLAIN_TYPE).entity("invalid form token").build();
        }
        sessions.logout(session);
        return Response.seeOther(URI.create("/login")).header(HttpHeaders.SET_COOKIE, sessions.expiredCookie()).build();
    }

    private Response form(int status, String error) {
        return formWith(status, error).build();
    }

    /** The login form with a fresh token, in its cookie too. */
    private Response.ResponseBuilder formWith(int status, String error) {
        String token = sessions.token();
        return Response.status(status).entity(Templates.login(token, error))
                .header(HttpHeaders.SET_COOKIE, LOGIN_COOKIE + "=" + token + "; Path=/login; HttpOnly; SameSite=Strict");
    }
}
