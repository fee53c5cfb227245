package io.dataline.console.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every page but the login form needs a live session: without one a page request is sent to {@code /login}, the live
 * feed gets a 401. Every answer carries headers that keep it out of frames and caches and allow only the console's
 * own scripts.
 */
public class SessionFilter {

    /** The session of the request being served (set by the filter). */
    @RequestScoped
    public static class Current {
        private Session session;

        public Session get() {
            if (session == null) {
                throw new IllegalStateException("no session on this request");
            }
            return session;
        }

        void set(Session session) {
            this.session = session;
        }
    }

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Sessions sessions;
    private final Current current;

    SessionFilter(Sessions sessions, Current current) {
        this.sessions = sessions;
        this.current = current;
    }

    @ServerRequestFilter
    public Response requireSession(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.equals("/login")) {
            return null;
        }
        Cookie cookie = request.getCookies().get(Sessions.COOKIE);
        var session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isPresent()) {
            current.set(session.get());
            return null;
        }
        if (path.endsWith("/events") || !"GET".equals(request.getMethod())) {
            return Response.status(401).type(MediaType.TEXT_PLAIN_TYPE).entity("log in first: /login").build();
        }
        return Response.seeOther(URI.create("/login")).build();
    }

    @ServerResponseFilter
    public void secureHeaders(ContainerResponseContext response) {
        response.getHeaders().putSingle("Content-Security-Policy", CSP);
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
        response.getHeaders().putSingle("X-Frame-Options", "DENY");
        response.getHeaders().putSingle("Referrer-Policy", "no-referrer");
        if (!response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
