package io.dataline.dataset.service;

import io.dataline.dataset.Dataset;
import io.dataline.dataset.PullRequest;
import io.dataline.events.PipelineEvent;
import io.dataline.events.PullChecksCompletedEvent;
import io.dataline.events.PullClosedEvent;
import io.dataline.events.PullMergedEvent;
import io.dataline.events.PullOpenedEvent;
import io.dataline.service.outbox.OutboxWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The life of a pull request as events: {@code pull.opened}, {@code pull.checks-completed}, {@code pull.merged} and
 * {@code pull.closed}, each written to the outbox and queued for the dataset's webhooks in the transaction that changed
 * the pull request, so the event exists if and only if the change does. An event needs a version to name: a pull
 * request from a branch without one (an empty dataset) announces nothing.
 */
@ApplicationScoped
public class PullEvents {

    @Inject
    OutboxWriter outbox;

    @Inject
    WebhookService webhooks;

    @Transactional(Transactional.TxType.MANDATORY)
    void opened(Dataset dataset, PullRequest pull, String fromHead, String base, String traceparent) {
        if (fromHead != null) {
            write(new PullOpenedEvent(UUID.randomUUID(), now(), dataset.name, dataset.slug, fromHead, null, CommitService.PRODUCER, pull.number,
                    pull.fromBranch, pull.intoBranch, pull.title, pull.author, base, pull.fromBranch), traceparent);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void checksCompleted(Dataset dataset, PullRequest pull, PullChecks.ChecksView checks, UUID causation) {
        write(new PullChecksCompletedEvent(UUID.randomUUID(), now(), dataset.name, dataset.slug, checks.head(), causation, CommitService.PRODUCER,
                pull.number, pull.fromBranch, pull.intoBranch, checks.state(), checks.outcome(), checks.summary(), pull.fromBranch), null);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void merged(Dataset dataset, PullRequest pull, boolean fastForward, String by, String traceparent) {
        write(new PullMergedEvent(UUID.randomUUID(), now(), dataset.name, dataset.slug, pull.mergeVersion, null, CommitService.PRODUCER, pull.number,
                pull.fromBranch, pull.intoBranch, by, fastForward, pull.intoBranch), traceparent);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void closed(Dataset dataset, PullRequest pull, String fromHead, String by, String traceparent) {
        if (fromHead != null) {
            write(new PullClosedEvent(UUID.randomUUID(), now(), dataset.name, dataset.slug, fromHead, null, CommitService.PRODUCER, pull.number,
                    pull.fromBranch, pull.intoBranch, by, pull.fromBranch), traceparent);
        }
    }

    private void write(PipelineEvent event, String traceparent) {
        outbox.write(event, traceparent);
        webhooks.enqueue(event);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
