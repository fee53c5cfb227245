package io.dataline.dataset.openlineage;

import io.dataline.dataset.config.DatasetServiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.openlineage.client.OpenLineage.RunEvent;
import io.openlineage.client.OpenLineageClientUtils;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Delivers OpenLineage run events: {@code POST <url>/api/v1/lineage} (Marquez-compatible, with the API key as a bearer
 * token) and/or the Kafka topic of this cluster (keyed by run id, so a run's events stay in order). The catalog or the
 * broker away, a time-out, 408, 429 or 5xx: an {@link IOException}, and the caller retries with back-off for as long
 * as it takes. Any other refusal (a 4xx: the catalog will never take this event) makes the event dead: counted in
 * {@code dataline_openlineage_events_total{outcome="dead"}} and logged, never retried. Sent events count as
 * {@code outcome="sent"}.
 */
@ApplicationScoped
public class LineageTransport {

    private static final Logger LOG = Logger.getLogger(LineageTransport.class);

    @Inject
    DatasetServiceConfig config;

    @Inject
    MeterRegistry meters;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KafkaProducer<String, String> producer;

    /** Whether lineage events go anywhere (a URL or a topic is configured). */
    public boolean enabled() {
        return config.openlineage().url().isPresent() || config.openlineage().topic().isPresent();
    }

    public void send(RunEvent event) throws IOException {
        String json = OpenLineageClientUtils.toJson(event);
        String where = event.getJob().getName() + " " + event.getEventType() + " (run " + event.getRun().getRunId() + ")";
        if (config.openlineage().url().isPresent() && !post(config.openlineage().url().get(), json, where)) {
            return;
        }
        if (config.openlineage().topic().isPresent() && !publish(config.openlineage().topic().get(), event.getRun().getRunId().toString(), json, where)) {
            return;
        }
        meters.counter("dataline.openlineage.events", "outcome", "sent").increment();
    }

    /** True when the catalog took the event; false when it refused it for good (dead). */
    private boolean post(String url, String json, String where) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/api/v1/lineage"))
                .timeout(config.openlineage().timeout()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        config.openlineage().apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending " + where, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return true;
        }
        if (status >= 500 || status == 408 || status == 429) {
            throw new IOException("the lineage catalog answered " + status + " for " + where);
        }
        dead(where, "the lineage catalog refused it with " + status + ": " + excerpt(response.body()));
        return false;
    }

    private boolean publish(String topic, String key, String json, String where) throws IOException {
        try {
            producer().send(new ProducerRecord<>(topic, key, json)).get(30, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing " + where, e);
        } catch (TimeoutException e) {
            throw new IOException("publishing " + where + " to " + topic + " timed out", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                throw new IOException("publishing " + where + " to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
            }
            dead(where, "topic " + topic + " refused it: " + e.getCause());
            return false;
        }
    }

    private void dead(String where, String why) {
        meters.counter("dataline.openlineage.events", "outcome", "dead").increment();
        LOG.errorf("OpenLineage event %s is dead: %s", where, why);
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> settings = new HashMap<>(kafka);
            settings.keySet().removeIf(k -> k.startsWith("apicurio") || k.endsWith("deserializer") || k.endsWith("serializer"));
            settings.put(ProducerConfig.ACKS_CONFIG, "all");
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            settings.put(ProducerConfig.CLIENT_ID_CONFIG, "dataset-service-openlineage");
            producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private static String excerpt(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
