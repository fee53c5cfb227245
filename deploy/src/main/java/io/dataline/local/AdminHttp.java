package io.dataline.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The launcher's calls to a service's admin endpoints: the admin key, an optional JSON body, "is the stack up?" when refused. */
final class AdminHttp {

    private final String adminKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminHttp(String adminKey) {
        this.adminKey = adminKey;
    }

    /** Sends {@code method path} to the service {@code name} at {@code base}; {@code json} null for no body. */
    HttpResponse<String> send(String name, String base, String method, String path, String json, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + adminKey)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new LauncherException(name + " is not reachable at " + base + "; is the stack up? ./dataline status");
        }
    }
}
