package io.dataline.console.pages;

import io.dataline.console.api.ApiException;
import io.dataline.console.auth.SessionFilter;
import io.dataline.console.auth.Sessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * What a person sees when a service refuses or fails: its status and its own words, as a page. A key the services no
 * longer accept (revoked) ends the session.
 */
public class Errors {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String detail);
    }

    @Inject
    Sessions sessions;

    @Inject
    SessionFilter.Current current;

    @ServerExceptionMapper
    public Response api(ApiException e) {
        if (e.status == 401) {
            try {
                sessions.logout(current.get());
            } catch (IllegalStateException noSession) {
                // nothing to end
            }
            return Response.seeOther(URI.create("/login")).header(HttpHeaders.SET_COOKIE, sessions.expiredCookie()).build();
        }
        return page(e.status >= 500 ? 502 : e.status, e.status >= 500 ? e.service + " is unavailable" : title(e.status), e.getMessage());
    }

    /** A page for a status the console decides itself (403 for an action a key may not take, 400 for a bad form). */
    public static Response page(int status, String title, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(Templates.error(status, title, detail)).build();
    }

    public static jakarta.ws.rs.WebApplicationException refused(int status, String detail) {
        return new jakarta.ws.rs.WebApplicationException(page(status, title(status), detail));
    }

    private static String title(int status) {
        return switch (status) {
            case 400, 422 -> "That request is not valid";
            case 403 -> "Your key may not do that";
            case 404 -> "Not found";
            case 409 -> "Refused";
            default -> "Error " + status;
        };
    }
}
