package io.dataline.service;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BiFunction;

/**
 * How a service calls another over HTTP: a connection that fails (or a wait that is interrupted) becomes the caller's
 * own "unavailable" exception, which consumers retry until the other service is back ({@code ConsumerRetry}).
 */
public final class ServiceCalls {

    private ServiceCalls() {
    }

    public static <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler, String service,
            BiFunction<String, Throwable, ? extends RuntimeException> unavailable) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unavailable.apply(service + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable.apply("interrupted", e);
        }
    }
}
