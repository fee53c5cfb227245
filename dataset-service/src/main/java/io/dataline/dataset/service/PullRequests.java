package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.dataset.ChunkRepository;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetVersion;
import io.dataline.dataset.DatasetVersionRepository;
import io.dataline.dataset.PullRequest;
import io.dataline.dataset.PullRequestRepository;
import io.dataline.dataset.versioning.Hash;
import io.dataline.dataset.versioning.ProllyTree;
import io.dataline.dataset.versioning.ThreeWayMerge;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pull requests: a proposal to merge branch {@code from} into branch {@code into}, with its diff against the merge base
 * and its conflicts, merged as a fast-forward when {@code into} has not moved since, else by a three-way merge by
 * primary key ({@link ThreeWayMerge}) into a version with two parents. A merge writes one {@code dataset.committed} for
 * the version {@code into} moves to, so the pipeline of {@code into} runs once for it (on main: the one that may
 * promote). Opening, merging and closing are announced on the {@code pull.*} topics; checks: {@link PullChecks}.
 */
@ApplicationScoped
public class PullRequests {

    /** The body of {@code POST /pulls}. */
    public record NewPull(String from, String into, String title, String description) {
    }

    /**
     * A pull request as shown, with both heads and their merge base as they are now and, while it is open, what stands
     * in the way of merging it as far as reviews and protection go ({@code blockers}; conflicts: {@code /conflicts}).
     */
    public record PullView(int number, String from, String into, String title, String description, String state, String author,
            Instant createdAt, Instant closedAt, String mergeVersion, String fromHead, String intoHead, String mergeBase, List<String> blockers) {
    }

    /** One conflicting key: the record at the merge base, on {@code into} (ours) and on {@code from} (theirs); null: absent. */
    public record ConflictView(JsonNode key, JsonNode base, JsonNode into, JsonNode from) {
    }

    @Inject
    PullRequestRepository pulls;

    @Inject
    DatasetVersionRepository versions;

    @Inject
    DatasetService datasetService;

    @Inject
    Branches branches;

    @Inject
    CommitService commits;

    @Inject
    ChunkRepository chunks;

    @Inject
    Caller caller;

    @Inject
    ObjectMapper mapper;

    @Inject
    VersionService versionService;

    @Inject
    Reviews reviews;

    @Inject
    PullEvents events;

    @Inject
    PullChecks checks;

    /**
     * Opens a pull request and announces it ({@code pull.opened}); when the pipeline of the head of {@code from} has
     * already ended, its checks are announced at once too.
     */
    @Transactional
    public PullView open(String nameOrSlug, NewPull request, String traceparent) {
        if (request == null || request.from() == null || request.into() == null) {
            throw ProblemException.badRequest("a JSON body {\"from\": branch, \"into\": branch, \"title\": ...} is required");
        }
        if (request.title() == null || request.title().isBlank() || request.title().length() > 200) {
            throw ProblemException.invalid("invalid title", "/title", "1-200 characters");
        }
        if (request.description() != null && request.description().length() > 20_000) {
            throw ProblemException.invalid("invalid description", "/description", "at most 20,000 characters");
        }
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        if (request.from().equals(request.into())) {
            throw ProblemException.invalid("a pull request merges one branch into another", "/into", "a branch other than \"from\"");
        }
        branches.requireBranch(dataset, request.from());
        branches.requireBranch(dataset, request.into());
        PullRequest pull = new PullRequest();
        pull.datasetId = dataset.id;
        pull.number = pulls.nextNumber(dataset);
        pull.fromBranch = request.from();
        pull.intoBranch = request.into();
        pull.title = request.title();
        pull.description = request.description();
        pull.state = "open";
        pull.author = caller.keyName();
        pull.authorKey = caller.keyId();
        pull.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        pulls.persist(pull);
        PullView view = view(dataset, pull);
        events.opened(dataset, pull, view.fromHead(), view.mergeBase(), traceparent);
        if (view.fromHead() != null) {
            checks.report(dataset, pull, view.fromHead(), null);
        }
        return view;
    }

    @Transactional
    public PullView get(String nameOrSlug, int number) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        return view(dataset, pulls.require(dataset, number));
    }

    @Transactional
    public List<PullView> list(String nameOrSlug, String state) {
        if (state != null && !List.of("open", "merged", "closed").contains(state)) {
            throw ProblemException.invalid("unknown state", "/query/state", "open, merged or closed");
        }
        Dataset dataset = datasetService.resolve(nameOrSlug);
        return pulls.list(dataset, state).stream().map(p -> view(dataset, p)).toList();
    }

    @Transactional
    public PullView close(String nameOrSlug, int number, String traceparent) {
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        PullRequest pull = requireOpen(dataset, number);
        events.closed(dataset, pull, safeHead(dataset, pull.fromBranch), by(), traceparent);
        pull.state = "closed";
        pull.closedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return view(dataset, pull);
    }

    /**
     * The keys changed differently on the two branches since their merge base, with the three records of each; found by
     * reading the trees alone (no merged tree is built, so asking stores nothing).
     */
    @Transactional
    public List<ConflictView> conflicts(String nameOrSlug, int number) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        PullRequest pull = pulls.require(dataset, number);
        Heads heads = heads(dataset, pull);
        List<ThreeWayMerge.Conflict> conflicts = new ThreeWayMerge(new ProllyTree(chunks.session(), dataset.treeFormat)).conflicts(heads.base(),
                heads.into(), heads.from());
        return conflicts.stream().map(c -> new ConflictView(dataset.keyType.decode(c.key()), json(c.base()), json(c.ours()),
                json(c.theirs()))).toList();
    }

    /**
     * Merges an open pull request: 409 naming the conflicting keys unless {@code resolutions} (key → {@code into} or
     * {@code from}) settles each. Answers the pull request, merged, with the version {@code into} moved to.
     */
    @Transactional
    public PullView merge(String nameOrSlug, int number, Map<String, String> resolutions, String traceparent) {
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        PullRequest pull = requireOpen(dataset, number);
        Heads heads = heads(dataset, pull);
        if (heads.fromHead() == null || heads.fromHead().equals(heads.baseHead())) {
            throw ProblemException.conflict("nothing to merge: \"" + pull.fromBranch + "\" has no version that \"" + pull.intoBranch + "\" lacks");
        }
        List<String> blockers = reviews.blockers(dataset, pull, heads.fromHead());
        if (!blockers.isEmpty()) {
            throw ProblemException.withMessages(409, "pull request #" + number + " cannot be merged yet: " + String.join("; ", blockers), blockers);
        }
        DatasetVersion from = versions.find(dataset, heads.fromHead()).orElseThrow();
        String merged;
        if (heads.intoHead() == null || heads.intoHead().equals(heads.baseHead())) {
            branches.moveHead(dataset, pull.intoBranch, from.hash); // a fast-forward: the version runs the pipeline of "into" now
            commits.publish(dataset, from, pull.intoBranch, traceparent);
            merged = from.hash;
        } else {
            ChunkRepository.Session store = chunks.session();
            ProllyTree tree = new ProllyTree(store, dataset.treeFormat);
            ThreeWayMerge.Result result = new ThreeWayMerge(tree).merge(heads.base(), heads.into(), heads.from(), resolver(dataset, resolutions));
            if (!result.clean()) {
                throw ProblemException.conflict(result.conflicts().size() + " key(s) changed differently on \"" + pull.fromBranch + "\" and \""
                        + pull.intoBranch + "\" (first: " + dataset.keyType.decode(result.conflicts().get(0).key()).asText() + "): see GET /pulls/"
                        + number + "/conflicts, then commit a resolution on \"" + pull.fromBranch + "\" or merge with resolutions");
            }
            VersionTrees.Tree mergedTree = new VersionTrees.Tree(result.root(), result.added(), result.updated(), result.deleted());
            CommitRequest request = new CommitRequest("Merge pull request #" + number + " from " + pull.fromBranch + ": " + pull.title, null,
                    null, null);
            merged = commits.record(dataset, pull.intoBranch, versions.find(dataset, heads.intoHead()), from.hash, mergedTree, store, request,
                    null, null, traceparent).version().hash();
        }
        pull.state = "merged";
        pull.mergeVersion = merged;
        pull.closedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        events.merged(dataset, pull, merged.equals(from.hash), by(), traceparent);
        return view(dataset, pull);
    }

    private java.util.function.Function<byte[], ThreeWayMerge.Side> resolver(Dataset dataset, Map<String, String> resolutions) {
        Map<String, String> chosen = resolutions == null ? Map.of() : resolutions;
        for (Map.Entry<String, String> entry : chosen.entrySet()) {
            if (!"into".equals(entry.getValue()) && !"from".equals(entry.getValue())) {
                throw ProblemException.invalid("invalid resolution", "/resolutions/" + entry.getKey(), "\"into\" or \"from\"");
            }
        }
        return key -> {
            String side = chosen.get(dataset.keyType.decode(key).asText());
            return side == null ? null : side.equals("into") ? ThreeWayMerge.Side.OURS : ThreeWayMerge.Side.THEIRS;
        };
    }

    /** Both heads, their merge base, and the roots of their trees. */
    private record Heads(String fromHead, String intoHead, String baseHead, Hash from, Hash into, Hash base) {
    }

    private Heads heads(Dataset dataset, PullRequest pull) {
        String fromHead = branches.head(dataset, pull.fromBranch);
        String intoHead = branches.head(dataset, pull.intoBranch);
        String base = intoHead == null ? null : versions.mergeBase(dataset, fromHead, intoHead).orElse(null);
        return new Heads(fromHead, intoHead, base, root(dataset, fromHead), root(dataset, intoHead), root(dataset, base));
    }

    private Hash root(Dataset dataset, String version) {
        return version == null ? new ProllyTree(chunks.session()).empty()
                : Hash.fromHex(versions.find(dataset, version).orElseThrow().dataHash);
    }

    private JsonNode json(byte[] record) {
        try {
            return record == null ? null : mapper.readTree(record);
        } catch (IOException e) {
            throw new IllegalStateException("a stored record is not JSON", e);
        }
    }

    private PullRequest requireOpen(Dataset dataset, int number) {
        PullRequest pull = pulls.require(dataset, number);
        if (!"open".equals(pull.state)) {
            throw ProblemException.conflict("pull request #" + number + " is " + pull.state);
        }
        return pull;
    }

    private PullView view(Dataset dataset, PullRequest pull) {
        Optional<String> fromHead = "open".equals(pull.state) ? Optional.ofNullable(safeHead(dataset, pull.fromBranch)) : Optional.empty();
        Optional<String> intoHead = "open".equals(pull.state) ? Optional.ofNullable(safeHead(dataset, pull.intoBranch)) : Optional.empty();
        String base = fromHead.isPresent() && intoHead.isPresent() ? versions.mergeBase(dataset, fromHead.get(), intoHead.get()).orElse(null) : null;
        List<String> blockers = fromHead.map(head -> reviews.blockers(dataset, pull, head)).orElse(List.of());
        return new PullView(pull.number, pull.fromBranch, pull.intoBranch, pull.title, pull.description, pull.state, pull.author, pull.createdAt,
                pull.closedAt, pull.mergeVersion, fromHead.orElse(null), intoHead.orElse(null), base, blockers);
    }

    private String by() {
        return caller.keyName();
    }

    /** A branch's head, or null when the branch is gone (deleted after the pull request was opened). */
    private String safeHead(Dataset dataset, String branch) {
        try {
            return branches.head(dataset, branch);
        } catch (ProblemException gone) {
            return null;
        }
    }
}
