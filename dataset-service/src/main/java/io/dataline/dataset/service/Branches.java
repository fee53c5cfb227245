package io.dataline.dataset.service;

import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetVersionRepository;
import io.dataline.dataset.RefRepository;
import io.dataline.dataset.RefRepository.Kind;
import io.dataline.dataset.RefRepository.Ref;
import io.dataline.dataset.StagedChangeRepository;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Branches and tags of a dataset. Every dataset has the default branch {@code main} (its own head: the history it had
 * before branches existed); {@code POST /branches {name, from}} makes another from a branch, tag or version, with its
 * own head and staging area; tags are immutable names for versions. Wherever a version is named, a tag or a branch
 * (its head) may stand instead ({@link #resolve}). Names: 1–100 characters of {@code [A-Za-z0-9._/-]} in
 * {@code /}-separated segments (no empty, {@code .} or {@code ..} segment), not a 64-hex string, not {@code latest},
 * and unique across the dataset's branches and tags so a name always means one thing.
 */
@ApplicationScoped
public class Branches {

    public static final String MAIN = StagedChangeRepository.Area.MAIN;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    /** Segments that would make a branch's URL ambiguous with its sub-resources. */
    private static final Set<String> RESERVED = Set.of(".", "..", "records", "commits", "staged", "protection", "latest");

    /**
     * A branch or tag as shown: its name and version, and for branches where it started, whether it is the default, and
     * the approvals a merge into it needs when it is protected (null: not protected).
     */
    public record RefView(String name, String version, String createdFrom, Instant createdAt, String createdBy, boolean isDefault,
            Integer requiredApprovals) {
    }

    /**
     * The body of {@code POST /branches} ({@code name}, {@code from}: a branch, tag or version it starts from) and of
     * {@code POST /tags} ({@code name}, {@code version}: the branch, tag or version it names).
     */
    public record NewRef(String name, String from, String version) {
    }

    @Inject
    RefRepository refs;

    @Inject
    DatasetVersionRepository versions;

    @Inject
    DatasetService datasetService;

    @Inject
    StagedChangeRepository staged;

    @Inject
    Caller caller;

    @Inject
    jakarta.enterprise.inject.Instance<Reviews> reviewsInstance;

    @Inject
    io.dataline.dataset.ReviewRepository protection;

    /** 422 naming the field when {@code name} is not a valid branch or tag name. */
    static void checkName(String name, String pointer) {
        if (name == null || name.isEmpty() || name.length() > 100 || !NAME.matcher(name).matches() || HASH.matcher(name).matches()
                || java.util.Arrays.stream(name.split("/")).anyMatch(RESERVED::contains)) {
            throw ProblemException.invalid("invalid name", pointer, "1-100 characters of A-Z a-z 0-9 . _ - in /-separated segments; "
                    + "no empty, '.', '..' or reserved segment (" + String.join(", ", new java.util.TreeSet<>(RESERVED))
                    + "); not a 64-hex string");
        }
    }

    /** The head of a branch of a dataset (null: main of a dataset with no version yet); 404 when there is no such branch. */
    public String head(Dataset dataset, String branch) {
        if (MAIN.equals(branch)) {
            return dataset.head;
        }
        return refs.find(Kind.BRANCH, dataset.id, branch).map(Ref::version)
                .orElseThrow(() -> ProblemException.notFound("dataset \"" + dataset.name + "\" has no branch \"" + branch + "\""));
    }

    /** Moves a branch's head, in the caller's transaction (which holds the dataset's lock). */
    void moveHead(Dataset dataset, String branch, String version) {
        if (MAIN.equals(branch)) {
            dataset.head = version;
        } else if (!refs.moveBranch(dataset.id, branch, version)) {
            throw ProblemException.notFound("dataset \"" + dataset.name + "\" has no branch \"" + branch + "\"");
        }
    }

    /** 404 unless the branch exists. */
    void requireBranch(Dataset dataset, String branch) {
        head(dataset, branch);
    }

    /**
     * The version a reference names: {@code latest} (main's head), a version hash, a tag, or a branch (its head).
     * Empty when it names nothing (or {@code latest} of a dataset with no version).
     */
    public Optional<String> resolve(Dataset dataset, String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        if ("latest".equals(ref)) {
            return Optional.ofNullable(dataset.head);
        }
        if (HASH.matcher(ref).matches()) {
            return Optional.of(ref);
        }
        Optional<Ref> tag = refs.find(Kind.TAG, dataset.id, ref);
        if (tag.isPresent()) {
            return Optional.of(tag.get().version());
        }
        if (MAIN.equals(ref)) {
            return Optional.ofNullable(dataset.head);
        }
        return refs.find(Kind.BRANCH, dataset.id, ref).map(Ref::version);
    }

    /**
     * Creates a branch ({@code from}: a branch, tag or version, default main) or a tag ({@code version}: required) of a
     * version with a commit; 422 for a bad name or reference, 409 for a name already taken.
     */
    @Transactional
    public RefView create(Kind kind, String nameOrSlug, NewRef request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body {\"name\": ..., \"" + (kind == Kind.BRANCH ? "from" : "version") + "\": ...} is required");
        }
        checkName(request.name(), "/name");
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        String from = kind == Kind.TAG ? request.version() : request.from() == null ? MAIN : request.from();
        String pointer = kind == Kind.TAG ? "/version" : "/from";
        String version = resolve(dataset, from).filter(v -> versions.find(dataset, v).isPresent())
                .orElseThrow(() -> ProblemException.invalid("no version to " + (kind == Kind.TAG ? "tag" : "branch from"), pointer,
                        "\"" + from + "\" is not a branch, tag or version of \"" + dataset.name + "\" with a commit"));
        if (MAIN.equals(request.name()) || refs.find(Kind.BRANCH, dataset.id, request.name()).isPresent()
                || refs.find(Kind.TAG, dataset.id, request.name()).isPresent()) {
            throw ProblemException.conflict("\"" + request.name() + "\" already names a branch or tag of \"" + dataset.name + "\"");
        }
        Ref ref = new Ref(request.name(), version, kind == Kind.BRANCH ? from : null, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                caller.keyName());
        refs.insert(kind, dataset.id, ref);
        return view(ref);
    }

    /** Every branch (main first, with its head) or every tag, by name. */
    @Transactional
    public List<RefView> list(Kind kind, String nameOrSlug) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        List<RefView> all = new ArrayList<>();
        if (kind == Kind.BRANCH) {
            all.add(new RefView(MAIN, dataset.head, null, dataset.createdAt, null, true, approvals(dataset, MAIN)));
        }
        refs.list(kind, dataset.id).forEach(r -> all.add(kind == Kind.BRANCH ? withProtection(dataset, r) : view(r)));
        return all;
    }

    @Transactional
    public RefView show(Kind kind, String nameOrSlug, String name) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        if (kind == Kind.BRANCH && MAIN.equals(name)) {
            return list(kind, nameOrSlug).get(0);
        }
        return refs.find(kind, dataset.id, name).map(r -> kind == Kind.BRANCH ? withProtection(dataset, r) : view(r)).orElseThrow(() -> ProblemException.notFound(
                "dataset \"" + dataset.name + "\" has no " + (kind == Kind.TAG ? "tag" : "branch") + " \"" + name + "\""));
    }

    /** Deletes a branch and what is staged on it; its versions stay (they may be tagged, merged or named by hash). */
    @Transactional
    public long deleteBranch(String nameOrSlug, String branch) {
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        if (MAIN.equals(branch)) {
            throw ProblemException.conflict("\"main\" is the default branch of \"" + dataset.name + "\" and cannot be deleted");
        }
        reviewsInstance.get().requireDeletable(dataset, branch);
        if (!refs.deleteBranch(dataset.id, branch)) {
            throw ProblemException.notFound("dataset \"" + dataset.name + "\" has no branch \"" + branch + "\"");
        }
        return staged.clearBranch(dataset.id, branch, StagedChangeRepository.Area.shared(dataset.id, branch).changeSet());
    }

    private static RefView view(Ref ref) {
        return new RefView(ref.name(), ref.version(), ref.createdFrom(), ref.createdAt(), ref.createdBy(), false, null);
    }

    private RefView withProtection(Dataset dataset, Ref ref) {
        return new RefView(ref.name(), ref.version(), ref.createdFrom(), ref.createdAt(), ref.createdBy(), false, approvals(dataset, ref.name()));
    }

    private Integer approvals(Dataset dataset, String branch) {
        return protection.protection(dataset.id, branch).map(p -> p.requiredApprovals()).orElse(null);
    }
}
