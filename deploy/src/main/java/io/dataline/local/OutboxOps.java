package io.dataline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code outbox list} and {@code outbox replay <service> <id>}: the outbox rows each service parked because the broker
 * refused them for good (GET /outbox/parked with the admin key), and putting one back in line once its cause is fixed.
 */
final class OutboxOps {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ServiceSpec> services;
    private final PrintStream out;
    private final AdminHttp http;

    OutboxOps(List<ServiceSpec> services, String adminKey, PrintStream out) {
        this.services = services.stream().filter(ServiceSpec::hasDatabase).toList(); // the console has no outbox
        this.http = new AdminHttp(adminKey);
        this.out = out;
    }

    /** Prints every parked row of every service; returns how many there are. */
    int list() throws IOException, InterruptedException {
        int total = 0;
        for (ServiceSpec service : services) {
            HttpResponse<String> answer = send(service, "GET", "/outbox/parked");
            if (answer.statusCode() != 200) {
                throw new LauncherException(service.name() + " answered " + answer.statusCode() + " for its parked outbox rows: " + answer.body());
            }
            for (JsonNode row : JSON.readTree(answer.body())) {
                total++;
                out.printf("%-22s id %-8d %s key %s, %d attempts, %d waiting behind it; last refusal: %s%n", service.name(),
                        row.path("id").asLong(), row.path("topic").asText(), row.path("key").asText(), row.path("attempts").asInt(),
                        row.path("waitingBehind").asLong(), row.path("lastError").asText());
            }
        }
        out.println(total == 0 ? "No parked outbox rows: every service's events are flowing." : total + " parked outbox row(s).");
        return total;
    }

    void replay(String serviceName, String id) throws IOException, InterruptedException {
        ServiceSpec service = services.stream().filter(s -> s.name().equals(serviceName)).findFirst()
                .orElseThrow(() -> new LauncherException("no service " + serviceName));
        HttpResponse<String> answer = send(service, "POST", "/outbox/parked/" + id + "/replay");
        if (answer.statusCode() != 200) {
            throw new LauncherException(service.name() + " answered " + answer.statusCode() + ": " + answer.body());
        }
        out.printf("%s: outbox row %s is back in line.%n", service.name(), id);
    }

    private HttpResponse<String> send(ServiceSpec service, String method, String path) throws IOException, InterruptedException {
        return http.send(service.name(), service.url(), method, path, null, Duration.ofSeconds(10));
    }
}
