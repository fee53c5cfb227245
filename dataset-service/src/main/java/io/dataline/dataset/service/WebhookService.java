package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetRepository;
import io.dataline.dataset.WebhookRepository;
import io.dataline.dataset.WebhookRepository.Delivery;
import io.dataline.dataset.WebhookRepository.Webhook;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.service.rest.ProblemException;
import io.dataline.dataset.webhooks.SecretBox;
import io.dataline.dataset.webhooks.UrlPolicy;
import io.dataline.dataset.webhooks.WebhookEvent;
import io.dataline.dataset.webhooks.WebhookFormat;
import io.dataline.dataset.webhooks.WebhookPayloads;
import io.dataline.events.EventJson;
import io.dataline.events.PipelineEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Registers webhooks and queues their deliveries. Queuing happens in the transaction that records an event in the
 * lineage view, so every consumed event is queued exactly once and a slow endpoint never holds up a topic; the
 * {@code WebhookSender} delivers from the queue.
 */
@ApplicationScoped
public class WebhookService {

    private static final int MAX_SECRET_LENGTH = 1024;
    private static final int MAX_TOKEN_LENGTH = 4096;
    private static final int MAX_LISTED_DELIVERIES = 500;

    /** The body of {@code POST /datasets/{name}/webhooks}. */
    public record CreateWebhook(String url, List<String> events, String format, String secret, String token) {
    }

    /** A webhook as the API shows it: never its secret or token, only whether it has them. */
    public record WebhookView(UUID id, String dataset, String url, List<String> events, String format, boolean hasSecret,
            boolean hasToken, Instant createdAt, String createdBy) {
    }

    /** One attempt in the delivery log. */
    public record AttemptView(int number, Instant at, long durationMs, Integer statusCode, String error, String response) {
    }

    /** A delivery in the log: its state, the last status code and time, every attempt, the body sent. */
    public record DeliveryView(UUID id, String event, UUID eventId, String dataVersion, String state, Integer statusCode,
            Long durationMs, int attemptCount, Instant createdAt, Instant nextAttemptAt, Instant finishedAt, UUID redeliveryOf,
            List<AttemptView> attempts, JsonNode body) {
    }

    /** Fired in a transaction that queued {@code count} deliveries; that many senders wake once it has committed. */
    public record DeliveriesQueued(int count) {
    }

    private final WebhookRepository webhooks;
    private final DatasetRepository datasetRepository;
    private final DatasetService datasets;
    private final Caller caller;
    private final Optional<SecretBox> box;
    private final UrlPolicy urls;
    private final Event<DeliveriesQueued> queued;

    WebhookService(WebhookRepository webhooks, DatasetRepository datasetRepository, DatasetService datasets, Caller caller,
            DatasetServiceConfig config, Event<DeliveriesQueued> queued) {
        this.webhooks = webhooks;
        this.datasetRepository = datasetRepository;
        this.datasets = datasets;
        this.caller = caller;
        this.queued = queued;
        this.box = config.webhooks().encryptionKey().filter(k -> !k.isBlank()).map(SecretBox::fromBase64);
        this.urls = policy(config.webhooks());
    }

    /** The outbound URL policy configured for this service. */
    private static UrlPolicy policy(DatasetServiceConfig.Webhooks config) {
        return new UrlPolicy(config.allowLoopback(), config.allowedHosts().orElse(List.of()), InetAddress::getAllByName);
    }

    @Transactional
    public WebhookView create(String datasetName, CreateWebhook request) {
        Dataset dataset = datasets.resolve(datasetName);
        if (request == null) {
            throw ProblemException.badRequest("a JSON body is required: {\"url\": ..., \"events\": [...]}");
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        try {
            urls.check(request.url());
        } catch (UrlPolicy.RefusedException e) {
            errors.add(error("/url", e.getMessage()));
        }
        Set<String> events = new LinkedHashSet<>();
        if (request.events() == null || request.events().isEmpty()) {
            errors.add(error("/events", "name at least one event: " + eventNames()));
        } else {
            for (int i = 0; i < request.events().size(); i++) {
                String name = request.events().get(i);
                if (WebhookEvent.parse(name).isEmpty()) {
                    errors.add(error("/events/" + i, "unknown event \"" + name + "\"; known: " + eventNames()));
                } else {
                    events.add(name);
                }
            }
        }
        WebhookFormat format = WebhookFormat.DATALINE;
        if (request.format() != null) {
            Optional<WebhookFormat> parsed = WebhookFormat.parse(request.format());
            if (parsed.isEmpty()) {
                errors.add(error("/format", "format must be \"dataline\" or \"github-dispatch\""));
            } else {
                format = parsed.get();
            }
        }
        checkCredential(request.secret(), "/secret", MAX_SECRET_LENGTH, errors);
        checkCredential(request.token(), "/token", MAX_TOKEN_LENGTH, errors);
        if (format == WebhookFormat.GITHUB_DISPATCH && (request.token() == null || request.token().isBlank())) {
            errors.add(error("/token", "a github-dispatch webhook needs a token (a GitHub token allowed to create repository_dispatch events)"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("the webhook is not valid", errors);
        }
        UUID id = UUID.randomUUID();
        Webhook webhook = new Webhook(id, dataset.id, request.url().trim(), List.copyOf(events), format.wireName(),
                seal(request.secret(), id, "secret"), seal(request.token(), id, "token"), Instant.now(), callerName());
        webhooks.insert(webhook);
        return view(webhook, dataset);
    }

    public List<WebhookView> list(String datasetName) {
        Dataset dataset = datasets.resolve(datasetName);
        return webhooks.ofDataset(dataset.id).stream().map(w -> view(w, dataset)).toList();
    }

    /** The webhooks of every dataset the caller may use, oldest first: one statement, not one per dataset. */
    public List<WebhookView> list() {
        Map<Long, Dataset> visible = new HashMap<>();
        datasets.visible().forEach(d -> visible.put(d.id, d));
        return webhooks.all().stream().filter(w -> visible.containsKey(w.datasetId())).map(w -> view(w, visible.get(w.datasetId()))).toList();
    }

    public WebhookView get(UUID id) {
        Webhook webhook = visible(id);
        return view(webhook, datasetRepository.findById(webhook.datasetId()));
    }

    @Transactional
    public void delete(UUID id) {
        visible(id);
        webhooks.delete(id);
    }

    public List<DeliveryView> deliveries(UUID id, int limit) {
        visible(id);
        List<Delivery> page = webhooks.deliveries(id, Math.max(1, Math.min(limit, MAX_LISTED_DELIVERIES)));
        Map<Long, List<WebhookRepository.Attempt>> attempts = webhooks.attempts(page.stream().map(Delivery::id).toList()); // one statement
        return page.stream().map(d -> view(d, attempts.getOrDefault(d.id(), List.of()))).toList();
    }

    public DeliveryView delivery(UUID id, UUID deliveryId) {
        visible(id);
        return webhooks.delivery(id, deliveryId).map(this::view)
                .orElseThrow(() -> ProblemException.notFound("webhook " + id + " has no delivery " + deliveryId));
    }

    /** Queues the same body again as a new delivery (after any still pending for this webhook). */
    @Transactional
    public DeliveryView redeliver(UUID id, UUID deliveryId) {
        visible(id);
        Delivery original = webhooks.delivery(id, deliveryId)
                .orElseThrow(() -> ProblemException.notFound("webhook " + id + " has no delivery " + deliveryId));
        UUID redelivery = webhooks.enqueue(id, original.event(), original.eventId(), original.dataVersion(), original.body(), deliveryId)
                .orElseThrow();
        queued.fire(new DeliveriesQueued(1));
        return view(webhooks.delivery(id, redelivery).orElseThrow());
    }

    /**
     * Queues a delivery of this event to every webhook of its dataset subscribed to it; in the caller's transaction.
     * One statement, whatever the number of webhooks: it carries the body in every format (two small documents), and
     * each webhook takes its own.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int enqueue(PipelineEvent event) {
        Optional<WebhookEvent> kind = WebhookEvent.of(event);
        if (kind.isEmpty() || event.datasetSlug() == null) {
            return 0;
        }
        WebhookFormat[] all = WebhookFormat.values();
        String[] formats = new String[all.length];
        String[] bodies = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            formats[i] = all[i].wireName();
            bodies[i] = WebhookPayloads.body(all[i], kind.get(), event);
        }
        int count = webhooks.enqueueSubscribed(event.datasetSlug(), kind.get().wireName(), event.eventId(), event.dataVersion(), formats, bodies);
        if (count > 0) {
            queued.fire(new DeliveriesQueued(count));
        }
        return count;
    }

    private Webhook visible(UUID id) {
        Webhook webhook = webhooks.find(id).orElseThrow(() -> ProblemException.notFound("no webhook with id " + id));
        Dataset dataset = datasetRepository.findById(webhook.datasetId());
        if (!caller.mayUse(dataset)) {
            throw ProblemException.notFound("no webhook with id " + id);
        }
        return webhook;
    }

    private String seal(String value, UUID id, String field) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        SecretBox sealer = box.orElseThrow(() -> ProblemException.invalid("the webhook is not valid", "/" + field,
                "this server has no webhook encryption key (DATALINE_WEBHOOK_ENCRYPTION_KEY), so it cannot store a " + field));
        return sealer.seal(value, context(id, field));
    }

    /** The associated data a secret or token of a webhook is sealed with. */
    private static String context(UUID id, String field) {
        return "webhook:" + id + ":" + field;
    }

    /** A webhook's secret or token in clear, for signing and sending; fails when it cannot be opened (key changed). */
    public String reveal(Webhook webhook, String field) {
        String sealed = field.equals("secret") ? webhook.secret() : webhook.token();
        return box.orElseThrow(() -> new IllegalArgumentException("no webhook encryption key is configured"))
                .open(sealed, context(webhook.id(), field));
    }

    /** The outbound URL policy in force. */
    public UrlPolicy urls() {
        return urls;
    }

    private static void checkCredential(String value, String pointer, int maxLength, List<Map<String, Object>> errors) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            errors.add(error(pointer, "must not be blank; leave it out instead"));
        } else if (value.length() > maxLength) {
            errors.add(error(pointer, "must be at most " + maxLength + " characters"));
        } else if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            errors.add(error(pointer, "must not contain control characters"));
        }
    }

    private String callerName() {
        Caller.Principal principal = caller.principal();
        return principal == null ? "unknown" : principal.keyName();
    }

    private static WebhookView view(Webhook webhook, Dataset dataset) {
        return new WebhookView(webhook.id(), dataset.name, webhook.url(), webhook.events(), webhook.format(), webhook.secret() != null,
                webhook.token() != null, webhook.createdAt(), webhook.createdBy());
    }

    private DeliveryView view(Delivery delivery) {
        return view(delivery, webhooks.attempts(delivery.id()));
    }

    private static DeliveryView view(Delivery delivery, List<WebhookRepository.Attempt> tried) {
        List<AttemptView> attempts = tried.stream()
                .map(a -> new AttemptView(a.number(), a.startedAt(), a.durationMs(), a.statusCode(), a.error(), a.response())).toList();
        AttemptView last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        return new DeliveryView(delivery.deliveryId(), delivery.event(), delivery.eventId(), delivery.dataVersion(), delivery.state(),
                last == null ? null : last.statusCode(), last == null ? null : last.durationMs(), attempts.size(), delivery.createdAt(),
                delivery.state().equals("pending") ? delivery.nextAttemptAt() : null, delivery.finishedAt(), delivery.redeliveryOf(),
                attempts, readJson(delivery.body()));
    }

    private static JsonNode readJson(String body) {
        try {
            return EventJson.mapper().readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(body);
        }
    }

    private static String eventNames() {
        return String.join(", ", java.util.Arrays.stream(WebhookEvent.values()).map(WebhookEvent::wireName).toList());
    }

    private static Map<String, Object> error(String pointer, String message) {
        return Map.of("pointer", pointer, "message", message);
    }
}
