package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetVersion;
import io.dataline.dataset.DatasetVersionRepository;
import io.dataline.dataset.PullRequest;
import io.dataline.dataset.PullRequestRepository;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an open pull request changes, against the merge base of its branches: the keys {@code from} added, removed and
 * changed (paged, complete counts, as the version diff), the schema changes between the two versions' schemas, and on
 * request the field-level changes of one key.
 */
@ApplicationScoped
public class PullDiffs {

    /** The diff of a pull request: the version diff's fields, {@code schema}, and {@code record} when a key was asked for. */
    public record PullDiff(String from, String to, List<JsonNode> added, List<JsonNode> removed, List<JsonNode> changed, long addedCount,
            long removedCount, long changedCount, boolean truncated, SchemaChange schema, RecordReads.KeyChange record) {
    }

    /**
     * The schema versions of the merge base and the head, and which top-level properties the head's schema added,
     * removed or redefined, and whether its {@code required} list changed.
     */
    public record SchemaChange(int baseVersion, int headVersion, List<String> added, List<String> removed, List<String> changed,
            boolean requiredChanged) {
    }

    @Inject
    PullRequestRepository pulls;

    @Inject
    DatasetService datasets;

    @Inject
    DatasetVersionRepository versions;

    @Inject
    VersionService versionService;

    @Inject
    Branches branches;

    @Inject
    RecordReads records;

    @Transactional
    public PullDiff diff(String nameOrSlug, int number, int offset, int limit, String key) {
        Dataset dataset = datasets.resolve(nameOrSlug);
        PullRequest pull = pulls.require(dataset, number);
        if (!"open".equals(pull.state)) {
            throw ProblemException.conflict("pull request #" + number + " is " + pull.state + ": its diff is the merged version's "
                    + (pull.mergeVersion == null ? "(none)" : "(GET /diff?from=<parent>&to=" + pull.mergeVersion + ")"));
        }
        DatasetVersion head = versions.find(dataset, branches.head(dataset, pull.fromBranch))
                .orElseThrow(() -> ProblemException.conflict("\"" + pull.fromBranch + "\" has no version"));
        String intoHead = branches.head(dataset, pull.intoBranch);
        DatasetVersion base = intoHead == null ? head
                : versions.find(dataset, versions.mergeBase(dataset, head.hash, intoHead).orElse(head.hash)).orElseThrow();
        byte[] asked = key == null ? null : RecordReads.key(dataset, key, "/query/key");
        VersionService.Diff keys = versionService.diff(nameOrSlug, base.hash, head.hash, offset, limit);
        return new PullDiff(keys.from(), keys.to(), keys.added(), keys.removed(), keys.changed(), keys.addedCount(), keys.removedCount(),
                keys.changedCount(), keys.truncated(), schema(dataset, base, head), asked == null ? null : records.compare(dataset, base, head, asked));
    }

    private SchemaChange schema(Dataset dataset, DatasetVersion base, DatasetVersion head) {
        JsonNode before = datasets.schemaVersion(dataset, base.schemaVersion);
        JsonNode after = base.schemaVersion == head.schemaVersion ? before : datasets.schemaVersion(dataset, head.schemaVersion);
        Set<String> names = new TreeSet<>();
        before.path("properties").fieldNames().forEachRemaining(names::add);
        after.path("properties").fieldNames().forEachRemaining(names::add);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (String name : names) {
            JsonNode was = before.path("properties").get(name);
            JsonNode is = after.path("properties").get(name);
            if (was == null) {
                added.add(name);
            } else if (is == null) {
                removed.add(name);
            } else if (!was.equals(is)) {
                changed.add(name);
            }
        }
        return new SchemaChange(base.schemaVersion, head.schemaVersion, added, removed, changed, !before.path("required").equals(after.path("required")));
    }
}
