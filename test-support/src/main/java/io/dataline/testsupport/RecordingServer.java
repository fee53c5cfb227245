package io.dataline.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP endpoint on 127.0.0.1 that records every request it receives (headers, exact body bytes, time, the status
 * it answered) and answers from a script: status codes and delays in order, then 200. It can also be down for a while
 * (503), refuse requests whose body contains a marker, and serve fixed documents to GET requests.
 */
public final class RecordingServer implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String path, Map<String, List<String>> headers, byte[] body, Instant at, int status) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One scripted answer. */
    public record Reply(int status, Duration delay) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private volatile Reply always;
    private final Map<String, String> documents = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> refusals = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Instant downUntil = Instant.MIN;

    public RecordingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers the next requests with these status codes, in order. */
    public synchronized RecordingServer thenReply(int... statuses) {
        for (int status : statuses) {
            script.add(new Reply(status, Duration.ZERO));
        }
        return this;
    }

    /** Answers the next request only after {@code delay}. */
    public synchronized RecordingServer thenDelay(Duration delay) {
        script.add(new Reply(200, delay));
        return this;
    }

    /** Answers every request that the script does not cover like this (default 200 at once). */
    public RecordingServer always(int status, Duration delay) {
        always = new Reply(status, delay);
        return this;
    }

    /** Answers every request with 503 for this long from now. */
    public RecordingServer downFor(Duration duration) {
        downUntil = Instant.now().plus(duration);
        return this;
    }

    /** Answers every request whose body contains {@code marker} with {@code status}. */
    public RecordingServer refuseContaining(String marker, int status) {
        refusals.put(marker, status);
        return this;
    }

    /** Answers GET {@code path} with 200 and this JSON. */
    public RecordingServer serve(String path, String json) {
        documents.put(path, json);
        return this;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getPath();
        String text = new String(body, StandardCharsets.UTF_8);
        String document = exchange.getRequestMethod().equals("GET") ? documents.get(path) : null;
        Reply reply;
        synchronized (this) {
            Integer refused = refusals.entrySet().stream().filter(r -> text.contains(r.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
            if (Instant.now().isBefore(downUntil)) {
                reply = new Reply(503, Duration.ZERO);
            } else if (refused != null) {
                reply = new Reply(refused, Duration.ZERO);
            } else if (document != null) {
                reply = new Reply(200, Duration.ZERO);
            } else {
                reply = script.isEmpty() ? (always == null ? new Reply(200, Duration.ZERO) : always) : script.poll();
            }
            received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now(), reply.status()));
        }
        try {
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            byte[] answer = (document != null && reply.status() == 200 ? document : "{\"status\":" + reply.status() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (timeout); nothing to answer
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
