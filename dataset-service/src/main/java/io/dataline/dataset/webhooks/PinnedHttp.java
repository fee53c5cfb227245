package io.dataline.dataset.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP POSTs to the address a URL was checked at: the connection goes to that IP, while the URL's host still names the
 * server (Host header, TLS server name and certificate check). Between the check and the connection nothing is
 * resolved again, so a name that answers with a public address first and a private one next (DNS rebinding) cannot
 * steer a webhook inside. Redirects are not followed; a reply's body is read up to an excerpt.
 *
 * <p>Connections are kept alive for {@link #KEEP_ALIVE_SECONDS} after a reply and reused only for the same host name at
 * the same checked address and port (the client's pool is keyed by both), so reuse never reaches an address that was not
 * checked for this delivery. The idle time is shorter than common servers' own (Node.js 5 s, nginx 75 s), so a reused
 * connection is rarely one the server is closing; when it is, the attempt fails as a connection failure and is retried.
 */
public final class PinnedHttp implements AutoCloseable {

    /** A response: its status and the first bytes of its body. */
    public record Reply(int status, String excerpt) {
    }

    /** No complete response within the timeout. */
    public static final class TimedOut extends IOException {
        TimedOut(String message) {
            super(message);
        }
    }

    /** How long an idle connection is kept for the next delivery to the same host and address. */
    static final int KEEP_ALIVE_SECONDS = 3;

    private final HttpClient client;

    public PinnedHttp(Vertx vertx, Duration connectTimeout) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) connectTimeout.toMillis()).setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setVerifyHost(true).setTryUseCompression(false));
    }

    /**
     * POSTs {@code body} to {@code uri}, connecting to {@code address} (null: resolve the host, for hosts allow-listed by
     * name). Blocks the calling thread (never an event loop) until the reply or the timeout.
     */
    public Reply post(URI uri, InetAddress address, Map<String, String> headers, byte[] body, Duration timeout, int excerptBytes)
            throws IOException, InterruptedException {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri.toString())
                .setIdleTimeout(timeout.toMillis()).setFollowRedirects(false);
        if (address != null) {
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            options.setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()));
        }
        headers.forEach(options::putHeader);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        Future<Reply> reply = client.request(options).compose(request -> {
            sent.set(request);
            Promise<Reply> done = Promise.promise();
            // The response's handlers must be set as its head arrives, before its end is read. A listener attached once
            // the request is sent can run too late (this callback may run on the calling thread, which a busy machine
            // can pause while a short reply such as a 204 arrives and ends on the event loop): the handlers then fail
            // with "Response already ended" and a delivered webhook looks like a failed one and is sent again. So the
            // listener is attached first, and the request sent after it.
            request.response().onComplete(head -> {
                if (head.failed()) {
                    done.tryFail(head.cause());
                    return;
                }
                HttpClientResponse response = head.result();
                Buffer excerpt = Buffer.buffer();
                response.handler(chunk -> {
                    int room = excerptBytes - excerpt.length();
                    if (room > 0) {
                        excerpt.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
                    }
                });
                response.exceptionHandler(done::tryFail);
                response.endHandler(end -> done.tryComplete(new Reply(response.statusCode(), excerpt.toString(StandardCharsets.UTF_8))));
            });
            request.end(Buffer.buffer(body)).onFailure(done::tryFail);
            return done.future();
        });
        try {
            return reply.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abort(sent.get());
            throw new TimedOut("timed out after " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            abort(sent.get());
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (cause instanceof java.util.concurrent.TimeoutException || message.contains("timeout period")) {
                throw new TimedOut("timed out after " + timeout.toMillis() + " ms");
            }
            throw new IOException(message, cause);
        }
    }

    private static void abort(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
