package io.dataline.console.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.console.ConsoleSettings;
import io.dataline.console.api.Api;
import io.dataline.console.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logins of this console replica, in memory: a session id (256 random bits, the only thing the browser holds, in
 * an {@code HttpOnly}, {@code SameSite=Strict} cookie) maps to the key and what it may do. A key is checked once, at
 * login, with dataset-service's introspection (called with the key itself); afterwards every service checks it again
 * on each call, so a revoked key stops working at once and its session ends at its next page. Sessions end at logout,
 * after {@code dataline.console.session-idle} without a request, or when the replica restarts (log in again).
 */
@ApplicationScoped
public class Sessions {

    public static final String COOKIE = "dataline_session";
    /** Caps memory: past it, the longest idle session is dropped. */
    static final int MAX_SESSIONS = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ConsoleSettings settings;
    private final Api api;

    Sessions(ConsoleSettings settings, Api api) {
        this.settings = settings;
        this.api = api;
    }

    /** A session for the key when dataset-service knows it; empty for an unknown or revoked key. */
    public Optional<Session> login(String key) {
        if (key == null || key.isBlank() || key.length() > 512) {
            return Optional.empty();
        }
        key = key.strip();
        JsonNode answer;
        try {
            answer = api.introspect(key);
        } catch (ApiException e) {
            if (e.status == 401 || e.status == 403) {
                return Optional.empty();
            }
            throw e;
        }
        if (!answer.path("active").asBoolean(false)) {
            return Optional.empty();
        }
        LinkedHashSet<String> scopes = new LinkedHashSet<>();
        answer.path("scopes").forEach(s -> scopes.add(s.asText()));
        List<String> datasets = null;
        if (answer.path("datasetSlugs").isArray()) {
            datasets = new ArrayList<>();
            for (JsonNode slug : answer.path("datasetSlugs")) {
                datasets.add(slug.asText());
            }
        }
        evictIfFull();
        Session session = new Session(token(), key, answer.path("name").asText("unnamed key"), scopes, datasets, token());
        sessions.put(session.id(), session);
        return Optional.of(session);
    }

    /** The live session a cookie names, touched; empty when there is none or it has idled out. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - session.lastSeen() > settings.sessionIdle().toNanos()) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.touch();
        return Optional.of(session);
    }

    /** Whether the session is still live (not logged out, not idled out): an open board stream ends with it. */
    public boolean active(Session session) {
        return sessions.get(session.id()) == session && System.nanoTime() - session.lastSeen() <= settings.sessionIdle().toNanos();
    }

    public void logout(Session session) {
        sessions.remove(session.id());
    }

    /** Whether a form's token is this session's (compared in constant time). */
    public static boolean csrfMatches(Session session, String token) {
        return token != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh random token (session ids, form tokens). */
    public String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The session cookie; {@code Secure} when the login came over TLS (or through a proxy that says so) or when configured. */
    public String cookie(Session session, boolean tls) {
        return COOKIE + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Strict" + (tls || settings.secureCookie() ? "; Secure" : "");
    }

    public String expiredCookie() {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (settings.secureCookie() ? "; Secure" : "");
    }

    private void evictIfFull() {
        long now = System.nanoTime();
        sessions.values().removeIf(s -> now - s.lastSeen() > settings.sessionIdle().toNanos());
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(java.util.Comparator.comparingLong(Session::lastSeen)).ifPresent(s -> sessions.remove(s.id()));
        }
    }
}
