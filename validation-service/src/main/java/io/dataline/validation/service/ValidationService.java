package io.dataline.validation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonSchema;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.DriftScore;
import io.dataline.events.FailedCheck;
import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.events.outbox.Traceparents;
import io.dataline.service.DatasetServiceClient;
import io.dataline.service.inbox.Inbox;
import io.dataline.service.messaging.EventHandler;
import io.dataline.service.outbox.OutboxWriter;
import io.dataline.service.schema.RecordSchemaFactory;
import io.dataline.validation.CommittedVersion;
import io.dataline.validation.CommittedVersionRepository;
import io.dataline.validation.ValidationReport;
import io.dataline.validation.ValidationReportRepository;
import io.dataline.validation.config.ValidationConfig;
import io.dataline.validation.contract.CheckResult;
import io.dataline.validation.contract.ContractChecker;
import io.dataline.validation.contract.DriftResult;
import io.dataline.validation.contract.ParentProfile;
import io.dataline.validation.contract.ParentProfiles;
import io.dataline.validation.contract.ValidationRules;
import io.opentelemetry.api.trace.Span;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Validates committed versions: reads the version's records, its parent's and its pinned rules and schema from
 * dataset-service (a stream, outside any transaction), checks them, then in one transaction stores the report, the
 * outgoing event (outbox) and the id of the event that caused the run, so a redelivered event changes nothing.
 * {@code dataset.committed} comes through service-support's {@code PipelineConsumer}: dataset-service or the database
 * away, it is retried until they are back (the version is never marked validated or failed by mistake, and nothing is
 * dead-lettered for an outage); an event naming a dataset or version that does not exist goes to
 * {@code dataset.committed.validation-service.dlq}; a message in flight when the service stops comes again after the
 * restart.
 */
@ApplicationScoped
public class ValidationService implements EventHandler<DatasetCommittedEvent> {

    private static final Logger LOG = Logger.getLogger(ValidationService.class);

    static final String PRODUCER = "validation-service";

    @Inject
    DatasetServiceClient datasets;

    @Inject
    Inbox inbox;

    /** The drift profiles of versions validated lately: the next version's drift base is most often one of them. */
    private final ParentProfiles profiles = new ParentProfiles();

    @Inject
    CommittedVersionRepository versions;

    @Inject
    ValidationReportRepository reports;

    @Inject
    OutboxWriter outbox;

    @Inject
    ValidationConfig config;

    @Inject
    ObjectMapper mapper;

    /** Everything a run found, before anything is stored. */
    record Verdict(String dataset, String slug, String version, String parent, int pipelineRevision, String branch, String driftBase,
            ContractChecker.Outcome outcome, JsonNode versionView) {
    }

    @Override
    public void handle(DatasetCommittedEvent event) {
        String traceId = Span.current().getSpanContext().getTraceId();
        long started = System.nanoTime();
        onCommitted(event, Traceparents.current(), traceId).ifPresentOrElse(
                report -> LOG.infof("%s@%s %s: %d records in %.1f s", event.datasetSlug(), event.dataVersion().substring(0, 12),
                        report.passed ? "validated" : "failed validation", report.recordCount, (System.nanoTime() - started) / 1e9),
                () -> LOG.debugf("duplicate ignored: event %s", event.eventId()));
    }

    /** Validates the version a commit event announces, once per event id; empty for a redelivery. */
    public Optional<ValidationReport> onCommitted(DatasetCommittedEvent event, String traceparent, String traceId) {
        if (inbox.seen(event.eventId())) {
            return Optional.empty();
        }
        Verdict verdict = evaluateAnnounced(event);
        return inbox.once(event.eventId(), Topics.DATASET_COMMITTED, () -> {
            if (versions.findByVersion(event.datasetSlug(), event.dataVersion()).isEmpty()) {
                versions.persist(inboxRow(event, traceId));
            }
            return store(verdict, event.eventId(), traceparent);
        });
    }

    /** Validates a version again on demand (ops replay): a new report and a new event, for the branch it was committed on. */
    public ValidationReport rerun(String dataset, String version) {
        Verdict verdict = evaluate(dataset, version, null, null);
        return QuarkusTransaction.requiringNew().call(() -> store(verdict, UUID.randomUUID(), null));
    }

    /**
     * Checks the version by what the event announced of it; should its records not match that (count or data hash), by
     * the version's own view once more.
     */
    private Verdict evaluateAnnounced(DatasetCommittedEvent event) {
        JsonNode announced = announced(event);
        try {
            return evaluate(event.datasetSlug(), event.dataVersion(), event.branchOrMain(), announced);
        } catch (io.dataline.service.DataIntegrityException | io.dataline.service.DatasetServiceUnavailableException e) {
            if (announced == null) {
                throw e;
            }
            return evaluate(event.datasetSlug(), event.dataVersion(), event.branchOrMain(), null);
        }
    }

    /**
     * What a commit event tells of its version: everything {@link #evaluate} reads of the version's view, so it is not
     * read again; {@code null} for an event from before it carried the schema version and tree format.
     */
    static JsonNode announced(DatasetCommittedEvent event) {
        if (event.schemaVersion() == null || event.treeFormat() == null) {
            return null;
        }
        com.fasterxml.jackson.databind.node.ObjectNode view = io.dataline.service.DatasetServiceClient.announcedVersion(event.dataVersion(),
                event.recordCount(), event.dataHash(), event.treeFormat());
        view.put("parent", event.parent());
        view.put("branch", event.branchOrMain());
        view.put("pipelineRevision", event.pipelineRevision());
        view.put("schemaVersion", event.schemaVersion());
        return view;
    }

    /**
     * Checks a version for the pipeline of {@code branch} (null: the branch the version was committed on); the version's
     * view is {@code announced} when an event told it, else read.
     */
    Verdict evaluate(String dataset, String version, String pipelineBranch, JsonNode announced) {
        JsonNode datasetView = datasets.identity(dataset);
        String slug = datasetView.path("slug").asText();
        String primaryKey = datasetView.path("primaryKey").asText();
        JsonNode versionView = announced != null ? announced : datasets.version(slug, version);
        int revision = versionView.path("pipelineRevision").asInt();
        String parent = versionView.path("parent").isTextual() ? versionView.path("parent").asText() : null;
        String branch = pipelineBranch != null ? pipelineBranch : versionView.path("branch").asText(PipelineEvent.MAIN);
        JsonNode pipeline = datasets.pipelineRevision(slug, revision).path("pipeline");

        List<String[]> ruleProblems = new ArrayList<>();
        ValidationRules rules = ValidationRules.parse(pipeline.path("validation"), ruleProblems);
        if (!ruleProblems.isEmpty()) {
            List<CheckResult> checks = ruleProblems.stream().map(p -> new CheckResult("rules", null, false, JsonNodeFactory.instance.textNode(p[1]),
                    JsonNodeFactory.instance.textNode(p[0]), List.of(), 0, "the pipeline revision's validation rules are invalid")).toList();
            return new Verdict(datasetView.path("name").asText(), slug, version, parent, revision, branch, parent, new ContractChecker.Outcome(0, checks, List.of(), java.util.Map.of()),
                    versionView);
        }
        JsonNode schemaJson = datasets.schemaVersion(slug, versionView.path("schemaVersion").asInt(1));
        JsonSchema schema = RecordSchemaFactory.FACTORY.getSchema(schemaJson, RecordSchemaFactory.CONFIG);
        List<String> columns = new ArrayList<>();
        schemaJson.path("properties").fieldNames().forEachRemaining(columns::add);
        ContractChecker checker = new ContractChecker(rules,
                record -> schema.validate(record).stream().map(m -> m.getInstanceLocation() + ": " + m.getMessage()).toList(), columns);
        datasets.forEachRecord(slug, datasetView, versionView, record -> checker.accept(keyText(record.get(primaryKey)), record));
        String driftBase = driftBase(slug, version, parent, branch);
        Optional<ParentProfile> parentProfile = Optional.empty();
        if (driftBase != null) {
            java.util.Set<String> watched = new ParentProfile(rules.drift()).fieldNames();
            parentProfile = Optional.of(profiles.of(slug, driftBase, watched, () -> {
                JsonNode baseView = datasets.version(slug, driftBase);
                if (watched.isEmpty()) {
                    return ParentProfile.counted(baseView.path("recordCount").asLong()); // no field watched: only its size is compared
                }
                ParentProfile profile = new ParentProfile(rules.drift());
                datasets.forEachRecord(slug, datasetView, baseView, profile::accept);
                return profile;
            }));
        }
        ContractChecker.Outcome outcome = checker.finish(parentProfile);
        profiles.remember(slug, versionView.path("hash").asText(version), checker.profile());
        return new Verdict(datasetView.path("name").asText(), slug, version, parent, revision, branch, driftBase, outcome, versionView);
    }

    /**
     * What drift is measured against: the parent for a version on main; for a version on another branch, the head of the
     * branch its newest open pull request goes into (what merging it would change), else the head of main; the parent
     * when that is the version itself or there is none.
     */
    private String driftBase(String slug, String version, String parent, String branch) {
        if (PipelineEvent.MAIN.equals(branch)) {
            return parent;
        }
        String into = null;
        for (JsonNode pull : datasets.openPullRequests(slug)) {
            if (branch.equals(pull.path("from").asText()) && pull.path("intoHead").isTextual()) {
                into = pull.path("intoHead").asText();
                break;
            }
        }
        if (into == null) {
            try {
                into = datasets.version(slug, PipelineEvent.MAIN).path("hash").asText(null);
            } catch (io.dataline.service.UnprocessableEventException noHead) {
                return parent; // main has no version yet
            }
        }
        return into == null || into.equals(version) ? parent : into;
    }

    private ValidationReport store(Verdict verdict, UUID cause, String traceparent) {
        ContractChecker.Outcome outcome = verdict.outcome();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ValidationReport report = new ValidationReport();
        report.about(verdict.dataset(), verdict.slug(), verdict.version(), verdict.parent(), verdict.pipelineRevision());
        report.branch = verdict.branch();
        report.driftBase = verdict.driftBase();
        report.passed = outcome.passed();
        report.recordCount = outcome.records();
        report.checksRun = outcome.checks().size();
        report.checksFailed = outcome.failed().size();
        report.checksJson = write(outcome.checks());
        report.driftJson = write(outcome.drift());
        report.nullCountsJson = write(new java.util.TreeMap<>(outcome.nullCounts()));
        report.causeEventId = cause;
        report.createdAt = now;
        reports.persist(report);

        String reportUrl = config.publicUrl() + "/reports/" + verdict.slug() + "/" + verdict.version();
        List<DriftScore> drift = outcome.drift().stream().map(ValidationService::score).toList();
        PipelineEvent event = outcome.passed()
                ? new DatasetValidatedEvent(UUID.randomUUID(), now, verdict.dataset(), verdict.slug(), verdict.version(), cause, PRODUCER,
                        verdict.pipelineRevision(), reportUrl, report.checksRun, drift, verdict.branch(),
                        verdict.versionView().path("dataHash").isTextual() ? verdict.versionView().path("dataHash").asText() : null,
                        verdict.versionView().path("recordCount").isIntegralNumber() ? verdict.versionView().path("recordCount").asLong() : null,
                        verdict.versionView().path("treeFormat").isInt() ? verdict.versionView().path("treeFormat").asInt() : null)
                : new DatasetValidationFailedEvent(UUID.randomUUID(), now, verdict.dataset(), verdict.slug(), verdict.version(), cause, PRODUCER,
                        verdict.pipelineRevision(), reportUrl, report.checksRun, drift,
                        outcome.failed().stream().map(c -> new FailedCheck(c.check(), c.field(), c.value(), c.threshold(), c.offendingKeys())).toList(),
                        verdict.branch());
        outbox.write(event, traceparent);
        return report;
    }

    private static DriftScore score(DriftResult drift) {
        return new DriftScore(drift.field(), drift.lInfinity(), drift.jensenShannon(), drift.psi());
    }

    private static CommittedVersion inboxRow(DatasetCommittedEvent event, String traceId) {
        CommittedVersion version = new CommittedVersion();
        version.about(event.dataset(), event.datasetSlug(), event.dataVersion(), event.parent(), event.pipelineRevision());
        version.eventId = event.eventId();
        version.dataHash = event.dataHash();
        version.recordCount = event.recordCount();
        version.committedAt = event.committedAt();
        version.receivedAt = Instant.now();
        version.traceId = traceId;
        return version;
    }

    private static String keyText(JsonNode key) {
        return key == null ? "(no key)" : key.isTextual() ? key.textValue() : key.toString();
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
