package io.dataline.dataset.service;

import io.dataline.dataset.ChangeSet;
import io.dataline.dataset.ChangeSetRepository;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.StagedChangeRepository;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Change sets: a working area of one dataset that the API key which opened it owns. Records staged into it are
 * committed together by {@code POST /commits {"changeset": id}}, and by no other request: two writers staging into
 * their own change sets at once commit exactly their own records. A change set ends when it is committed or
 * discarded, or expires after {@code dataline.changesets.idle-timeout} without use. Any other key, or an ended change
 * set, gets 404.
 */
@ApplicationScoped
public class ChangeSets {

    /** A change set as shown: what it holds and when it expires if left alone. */
    public record ChangeSetView(String id, String dataset, String branch, Instant createdAt, Instant expiresAt, long upserts, long deletes) {
    }

    @Inject
    ChangeSetRepository changeSets;

    @Inject
    Caller caller;

    @Inject
    DatasetService datasetService;

    @Inject
    StagedChangeRepository staged;

    @Inject
    DatasetServiceConfig config;

    @Inject
    Branches branches;

    /** Opens a change set whose commit goes to {@code branch} (null: main). */
    @Transactional
    public ChangeSetView open(String nameOrSlug, String branch) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        String target = branch == null ? Branches.MAIN : branch;
        branches.requireBranch(dataset, target);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ChangeSet set = new ChangeSet();
        set.id = UUID.randomUUID();
        set.datasetId = dataset.id;
        set.ownerKey = owner();
        set.branch = target;
        set.createdAt = now;
        set.lastUsedAt = now;
        changeSets.persist(set);
        return view(dataset, set);
    }

    @Transactional
    public ChangeSetView show(String nameOrSlug, String id) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        return view(dataset, require(dataset, id));
    }

    @Transactional
    public long discard(String nameOrSlug, String id) {
        Dataset dataset = datasetService.lock(nameOrSlug, false);
        ChangeSet set = require(dataset, id);
        long discarded = staged.clear(StagedChangeRepository.Area.changeSet(dataset.id, set.id, set.branch));
        changeSets.delete(set);
        return discarded;
    }

    /** As {@link #area(Dataset, String, String)} with no branch named: main's shared area, or the change set's branch. */
    StagedChangeRepository.Area area(Dataset dataset, String id) {
        return area(dataset, null, id);
    }

    /**
     * The working area a request names: the shared one of {@code branch} (null: main) when {@code id} is null, else
     * the caller's open change set of this dataset, marked as used now, which must commit to {@code branch} when one is
     * named; 404 for anything else. Runs in the caller's transaction.
     */
    StagedChangeRepository.Area area(Dataset dataset, String branch, String id) {
        if (id == null) {
            String target = branch == null ? Branches.MAIN : branch;
            branches.requireBranch(dataset, target);
            return StagedChangeRepository.Area.shared(dataset.id, target);
        }
        ChangeSet set = require(dataset, id);
        if (branch != null && !branch.equals(set.branch)) {
            throw ProblemException.invalid("change set " + id + " commits to branch \"" + set.branch + "\", not \"" + branch + "\"",
                    "/changeset", "use the change set on its own branch");
        }
        return StagedChangeRepository.Area.changeSet(dataset.id, set.id, set.branch);
    }

    /** Ends a committed change set (its staged changes are already cleared by the commit). */
    void close(StagedChangeRepository.Area area) {
        if (!area.isShared()) {
            changeSets.deleteById(area.changeSet());
        }
    }

    private ChangeSet require(Dataset dataset, String id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ChangeSet set = parse(id).flatMap(changeSets::findByIdOptional)
                .filter(s -> s.datasetId.equals(dataset.id) && s.ownerKey.equals(owner()))
                .filter(s -> s.lastUsedAt.plus(config.changesets().idleTimeout()).isAfter(now))
                .orElseThrow(() -> ProblemException.notFound("no open change set " + id + " of \"" + dataset.name
                        + "\" for this API key (committed, discarded, expired after " + config.changesets().idleTimeout() + " idle, or never opened)"));
        set.lastUsedAt = now;
        return set;
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String owner() {
        return caller.keyId();
    }

    private ChangeSetView view(Dataset dataset, ChangeSet set) {
        StagedChangeRepository.Counts counts = staged.counts(StagedChangeRepository.Area.changeSet(dataset.id, set.id, set.branch));
        return new ChangeSetView(set.id.toString(), dataset.name, set.branch, set.createdAt, set.lastUsedAt.plus(config.changesets().idleTimeout()),
                counts.upserts(), counts.deletes());
    }
}
