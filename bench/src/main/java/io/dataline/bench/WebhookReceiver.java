package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook endpoint on 127.0.0.1 (a port the kernel picks) that counts what dataset-service delivers: per version and
 * event ({@code "<dataVersion> <event>"}), and the deliveries ({@code X-Dataline-Delivery}) of each event
 * ({@code X-Dataline-Event-Id}), so a suite can say whether each event reached it in exactly one delivery. A delivery
 * received again (same {@code X-Dataline-Delivery}: a retry after an answer that was lost, which the documented
 * at-least-once contract allows and receivers drop) is counted apart. Answers 204 to everything it can read, 400 otherwise.
 */
final class WebhookReceiver implements AutoCloseable {

    /** The pipeline events the throughput suite subscribes to: everything a commit's pipeline publishes. */
    static final List<String> EVENTS = List.of("committed", "validated", "validation-failed", "run-failed", "registered", "promoted",
            "promotion-rejected", "candidate-evaluated");

    private final HttpServer server;
    private final Map<String, AtomicInteger> byVersionEvent = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> deliveriesByEvent = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byDelivery = new ConcurrentHashMap<>();
    private final AtomicInteger unreadable = new AtomicInteger();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hooks/", exchange -> {
            try (exchange) {
                int status = 204;
                try {
                    JsonNode body = Api.JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    String eventId = exchange.getRequestHeaders().getFirst("X-Dataline-Event-Id");
                    String delivery = exchange.getRequestHeaders().getFirst("X-Dataline-Delivery");
                    if (eventId == null || delivery == null || !body.hasNonNull("dataVersion") || !body.hasNonNull("event")) {
                        throw new IllegalArgumentException("not a dataline delivery");
                    }
                    deliveriesByEvent.computeIfAbsent(eventId, id -> ConcurrentHashMap.newKeySet()).add(delivery);
                    byDelivery.computeIfAbsent(delivery, id -> new AtomicInteger()).incrementAndGet();
                    byVersionEvent.computeIfAbsent(body.get("dataVersion").asText() + " " + body.get("event").asText(), k -> new AtomicInteger())
                            .incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    unreadable.incrementAndGet();
                    status = 400;
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    /** The URL a webhook of {@code name} is registered with. */
    String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + name;
    }

    /** The event a topic's records are delivered as ({@code model.promoted} → {@code promoted}), or null for none. */
    static String event(String topic) {
        String event = topic.substring(topic.indexOf('.') + 1);
        return EVENTS.contains(event) ? event : null;
    }

    /** Waits until every expected {@code "<dataVersion> <event>"} has arrived, or {@code timeout} passed. */
    void await(Collection<String> expected, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until && !byVersionEvent.keySet().containsAll(expected)) {
            Thread.sleep(200);
        }
    }

    /** Of {@code expected}, those that never arrived. */
    long missing(Set<String> expected) {
        return expected.stream().filter(key -> !byVersionEvent.containsKey(key)).count();
    }

    /** Events (by event id) that arrived in more than one delivery: duplicates. */
    long repeated() {
        return deliveriesByEvent.values().stream().filter(deliveries -> deliveries.size() > 1).count();
    }

    /** Deliveries that arrived more than once (a retry of the same delivery; receivers drop it by its id). */
    long retried() {
        return byDelivery.values().stream().filter(count -> count.get() > 1).count();
    }

    /** Requests received in all. */
    long received() {
        return byDelivery.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    long unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
