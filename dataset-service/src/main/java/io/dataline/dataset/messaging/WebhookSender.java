package io.dataline.dataset.messaging;

import io.dataline.dataset.WebhookRepository;
import io.dataline.dataset.WebhookRepository.Attempt;
import io.dataline.dataset.WebhookRepository.Delivery;
import io.dataline.dataset.WebhookRepository.Webhook;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.dataset.service.WebhookService;
import io.dataline.dataset.webhooks.PinnedHttp;
import io.dataline.dataset.webhooks.Signatures;
import io.dataline.dataset.webhooks.UrlPolicy;
import io.dataline.dataset.webhooks.WebhookFormat;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends queued webhook deliveries: a few sender threads claim due deliveries (each endpoint's in order, one at a
 * time), POST them with a timeout and without following redirects, and record every attempt. A committed transaction
 * that queued N deliveries wakes at most N senders; a woken sender looks again at once only while such wake-ups are
 * left or when the delivery it ended held back another of its endpoint's. A sender that found a delivery without being
 * woken (at start, or when its poll interval ran out: retries that came due, leases that ran out, deliveries left from
 * before a restart) keeps claiming until nothing is due, so a backlog drains at full speed while idle senders do not
 * query the database for nothing. 2xx delivers; 5xx,
 * timeouts and connection failures are tried again with exponential backoff up to the configured number of attempts;
 * 3xx and 4xx answers, refused addresses and unreadable credentials end the delivery at once. Runs apart from the
 * topic consumers, so nothing an endpoint does holds up the pipeline.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final int RESPONSE_EXCERPT = 1024;

    private final WebhookRepository webhooks;
    private final DatasetServiceConfig.Webhooks config;
    private final WebhookService service;
    private final UrlPolicy urls;
    private final PinnedHttp http;
    private final Object signal = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private long hints; // deliveries queued and committed that no sender has looked for yet; guarded by signal

    WebhookSender(WebhookRepository webhooks, WebhookService service, DatasetServiceConfig config, Vertx vertx) {
        this.webhooks = webhooks;
        this.service = service;
        this.config = config.webhooks();
        this.urls = service.urls();
        this.http = new PinnedHttp(vertx, this.config.timeout());
    }

    void start(@Observes StartupEvent event) {
        running = true;
        for (int i = 0; i < Math.max(1, config.workers()); i++) {
            Thread thread = new Thread(this::run, "webhook-sender-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        synchronized (signal) {
            signal.notifyAll();
        }
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        http.close();
    }

    void queued(@Observes(during = TransactionPhase.AFTER_SUCCESS) WebhookService.DeliveriesQueued event) {
        synchronized (signal) {
            hints += event.count();
            if (event.count() >= threads.size()) {
                signal.notifyAll();
            } else {
                for (int i = 0; i < event.count(); i++) {
                    signal.notify();
                }
            }
        }
    }

    /** What a look for a due delivery came to. */
    enum Look {
        /** Nothing was due. */
        NOTHING,
        /** One was attempted. */
        SENT,
        /** One was attempted, or had gone with its deleted webhook, and the next may be due at once. */
        AGAIN
    }

    /** How a sender came to look: woken by a queuing transaction, or on its own (start, poll interval). */
    private enum Wake {
        HINT, POLL, STOP
    }

    /** Wakes every idle sender as if its poll interval had run out (what a test without polling needs). */
    void pollNow() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void run() {
        boolean failing = false;
        boolean draining = true; // the first look is on its own: deliveries may be due from before a restart
        Look last = Look.AGAIN;
        while (running) {
            if (last == Look.NOTHING || (last == Look.SENT && !draining)) {
                Wake wake = awaitHint();
                if (wake == Wake.STOP) {
                    return;
                }
                draining = wake == Wake.POLL;
            }
            try {
                last = sendOne();
                if (failing) {
                    LOG.info("webhook sender: working again");
                    failing = false;
                }
            } catch (RuntimeException e) {
                if (!failing) { // once per outage, not once per poll
                    LOG.warnf("webhook sender: %s (trying again every %s)", e.getMessage(), config.pollInterval());
                    failing = true;
                }
                last = Look.NOTHING;
            }
        }
    }

    /** Takes a wake-up left by a queuing transaction, or waits for one at most a poll interval. */
    private Wake awaitHint() {
        synchronized (signal) {
            if (hints == 0 && running) {
                try {
                    signal.wait(config.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Wake.STOP;
                }
            }
            if (!running) {
                return Wake.STOP;
            }
            if (hints > 0) {
                hints--;
                return Wake.HINT;
            }
            return Wake.POLL;
        }
    }

    /** Claims and attempts one due delivery. */
    Look sendOne() {
        Duration lease = config.timeout().multipliedBy(2).plusSeconds(30);
        Optional<WebhookRepository.Claimed> claimed = webhooks.claim(lease);
        if (claimed.isEmpty()) {
            return Look.NOTHING;
        }
        Delivery delivery = claimed.get().delivery();
        Optional<Webhook> webhook = claimed.get().webhook();
        if (webhook.isEmpty()) {
            return Look.AGAIN; // deleted meanwhile; its deliveries went with it
        }
        Instant started = Instant.now();
        long start = System.nanoTime();
        Outcome outcome = attempt(webhook.get(), delivery);
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        boolean heldBack = record(delivery, new Attempt(delivery.attempts(), started, durationMs, outcome.status(), outcome.error(),
                outcome.response()), outcome);
        return heldBack ? Look.AGAIN : Look.SENT;
    }

    /** What one attempt came to: delivered, worth another try, or final. */
    private record Outcome(Integer status, String error, String response, boolean delivered, boolean retry) {
        static Outcome fail(String error, boolean retry) {
            return new Outcome(null, error, null, false, retry);
        }
    }

    private Outcome attempt(Webhook webhook, Delivery delivery) {
        URI uri;
        InetAddress address;
        try {
            uri = urls.parse(webhook.url());
            address = urls.checkAddresses(uri); // the connection goes to this address: the name is not resolved again
        } catch (UrlPolicy.RefusedException e) {
            return Outcome.fail(e.getMessage(), !e.permanent());
        }
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "Dataline-Webhooks/1");
        headers.put("X-Dataline-Event", delivery.event());
        headers.put("X-Dataline-Delivery", delivery.deliveryId().toString());
        headers.put("X-Dataline-Event-Id", delivery.eventId().toString());
        try {
            if (webhook.secret() != null) {
                headers.put(Signatures.HEADER, Signatures.sign(service.reveal(webhook, "secret"), body));
            }
            if (webhook.token() != null) {
                headers.put("Authorization", "Bearer " + service.reveal(webhook, "token"));
            }
        } catch (IllegalArgumentException e) {
            return Outcome.fail("cannot read the webhook's credentials: " + e.getMessage(), false);
        }
        if (WebhookFormat.GITHUB_DISPATCH.wireName().equals(webhook.format())) {
            headers.put("Accept", "application/vnd.github+json");
            headers.put("X-GitHub-Api-Version", "2022-11-28");
        }
        try {
            PinnedHttp.Reply response = http.post(uri, address, headers, body, config.timeout(), RESPONSE_EXCERPT);
            int status = response.status();
            if (status >= 200 && status < 300) {
                return new Outcome(status, null, response.excerpt(), true, false);
            }
            if (status >= 500) {
                return new Outcome(status, "server error", response.excerpt(), false, true);
            }
            String error = status >= 400 ? "client error (not retried)" : "redirects are not followed (not retried)";
            return new Outcome(status, error, response.excerpt(), false, false);
        } catch (PinnedHttp.TimedOut e) {
            return Outcome.fail(e.getMessage(), true);
        } catch (IOException e) {
            return Outcome.fail("connection failed: " + e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.fail("interrupted by shutdown", true);
        }
    }

    /** Records the attempt and what it means for the delivery, in one statement; true when it held back another. */
    private boolean record(Delivery delivery, Attempt attempt, Outcome outcome) {
        if (outcome.delivered()) {
            return webhooks.recordAndFinish(delivery.id(), attempt, "delivered");
        }
        if (outcome.retry() && delivery.attempts() < config.maxAttempts()) {
            webhooks.recordAndRetryAt(delivery.id(), attempt, Instant.now().plus(backoff(delivery.attempts())));
            return false;
        }
        LOG.warnf("webhook %s: delivery %s of %s failed after %d attempt(s): %s", delivery.webhookId(), delivery.deliveryId(),
                delivery.event(), delivery.attempts(), attempt.error());
        return webhooks.recordAndFinish(delivery.id(), attempt, "failed");
    }

    /** Wait after the given attempt: backoff, 2 × backoff, 4 × backoff, ... at most maxBackoff. */
    Duration backoff(int attempt) {
        Duration wait = config.backoff();
        for (int i = 1; i < attempt && wait.compareTo(config.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }
}
