package io.dataline.dataset.rest;

import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.service.rest.Problem;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.regex.Pattern;

/**
 * Body limits per endpoint, before a byte of the body is read. Record uploads ({@code POST .../records}, shared area
 * or change set, and NDJSON one-shot commits) may stream up to {@code dataline.records.max-upload-bytes} (413 when a
 * Content-Length says more; a streamed body is cut off there as it is read; JSON arrays are capped by
 * {@code dataline.records.max-body-bytes}); every other request body is a small JSON document: at most {@code dataline.http.max-json-body-bytes} (1 MiB, 413
 * beyond), and an HTTP/1.1 body there must say its length (411 for a chunked one), so no client can hold a worker by
 * trickling an endless body into an endpoint that expects a few lines of JSON. (An HTTP/2 body without a length is not
 * caught here yet: the global limit applies.)
 */
@ApplicationScoped
public class BodyLimits {

    private static final Pattern UPLOADS = Pattern.compile("/datasets/[^/]+/(changesets/[^/]+/)?records/?");
    private static final Pattern COMMITS = Pattern.compile("/datasets/[^/]+/commits/?");

    @Inject
    DatasetServiceConfig config;

    @RouteFilter(200)
    void limit(RoutingContext context) {
        HttpMethod method = context.request().method();
        boolean hasBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
        String path = context.normalizedPath();
        if (!hasBody || path.startsWith("/q/")) {
            context.next();
            return;
        }
        String type = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        boolean upload = UPLOADS.matcher(path).matches()
                || COMMITS.matcher(path).matches() && type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith(RecordResource.NDJSON);
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (upload) {
            long max = config.records().maxUploadBytes();
            if (length != null && length.trim().matches("\\d{1,19}") && new java.math.BigInteger(length.trim()).compareTo(java.math.BigInteger.valueOf(max)) > 0) {
                refuse(context, 413, "Content Too Large", "an upload takes at most " + max + " bytes; split it into several requests");
                return;
            }
            context.next();
            return;
        }
        long max = config.http().maxJsonBodyBytes();
        if (length == null) {
            if (context.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                refuse(context, 411, "Length Required", "this endpoint takes a JSON document with a Content-Length (at most " + max + " bytes)");
                return;
            }
        } else {
            try {
                if (Long.parseLong(length.trim()) > max) {
                    refuse(context, 413, "Content Too Large", "this endpoint takes at most " + max + " bytes of JSON");
                    return;
                }
            } catch (NumberFormatException e) {
                refuse(context, 400, "Bad Request", "the Content-Length is not a number");
                return;
            }
        }
        context.next();
    }

    private static void refuse(RoutingContext context, int status, String title, String detail) {
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).putHeader(HttpHeaders.CONNECTION, "close")
                .end("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }
}
