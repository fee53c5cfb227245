package io.dataline.dataset.openlineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.dataset.config.DatasetServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads the validation report a {@code dataset.validated} / {@code dataset.validation-failed} event links to (with the
 * admin key: dataset-service is where keys come from), and only from validation-service's own URL
 * ({@code dataline.links.validation-service}): an event naming any other URL never gets the key sent anywhere.
 * validation-service away or answering 5xx: an {@link IOException}, so the lineage event waits for it; a report that
 * is elsewhere, gone, refused or not JSON: empty, and the lineage event goes out without its data-quality facets
 * (logged).
 */
@ApplicationScoped
public class ValidationReports {

    private static final Logger LOG = Logger.getLogger(ValidationReports.class);
    private static final int MAX_BYTES = 8 << 20;

    @Inject
    DatasetServiceConfig config;

    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Optional<JsonNode> read(String reportUrl) throws IOException {
        String reports = config.links().validationService().replaceAll("/+$", "") + "/reports/";
        if (reportUrl == null || !reportUrl.startsWith(reports) || reportUrl.contains("/../")) {
            LOG.warnf("validation report %s is not on validation-service (%s): its lineage events go out without data-quality facets",
                    reportUrl, reports);
            return Optional.empty();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(reportUrl)).timeout(Duration.ofSeconds(30)).GET();
        config.adminKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<java.io.InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + reportUrl, e);
        }
        try (java.io.InputStream body = response.body()) {
            if (response.statusCode() >= 500 || response.statusCode() == 429) {
                throw new IOException("validation-service answered " + response.statusCode() + " for " + reportUrl);
            }
            if (response.statusCode() != 200) {
                LOG.warnf("validation report %s answered %d: its lineage events go out without data-quality facets", reportUrl, response.statusCode());
                return Optional.empty();
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                LOG.warnf("validation report %s is larger than %d bytes: left out of its lineage events", reportUrl, MAX_BYTES);
                return Optional.empty();
            }
            try {
                return Optional.of(mapper.readTree(bytes));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                LOG.warnf("validation report %s is not JSON: left out of its lineage events", reportUrl);
                return Optional.empty();
            }
        }
    }
}
