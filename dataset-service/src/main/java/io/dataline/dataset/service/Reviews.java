package io.dataline.dataset.service;

import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetRepository;
import io.dataline.dataset.PullRequest;
import io.dataline.dataset.PullRequestRepository;
import io.dataline.dataset.ReviewRepository;
import io.dataline.dataset.ReviewRepository.Review;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reviews of pull requests and branch protection. A protected branch takes no direct commit (409): it moves only when
 * a pull request into it is merged, and only with {@code requiredApprovals} approvals of its current {@code from} head
 * by keys other than the author's, no reviewer's latest verdict asking for changes, and (when {@code requireChecks})
 * successful checks of that head ({@link PullChecks}).
 */
@ApplicationScoped
public class Reviews {

    /** The body of {@code PUT /branches/{branch}/protection}; {@code requireChecks} waits for the pipeline's checks. */
    public record Protection(Integer requiredApprovals, Boolean requireChecks) {
    }

    /** The body of {@code POST /pulls/{n}/reviews}. */
    public record NewReview(String verdict, String comment) {
    }

    @Inject
    ReviewRepository reviews;

    @Inject
    PullRequestRepository pulls;

    @Inject
    DatasetRepository datasets;

    @Inject
    DatasetService datasetService;

    @Inject
    Branches branches;

    @Inject
    Caller caller;

    @Inject
    PullChecks checks;

    @Transactional
    public Protection protect(String nameOrSlug, String branch, Protection request) {
        if (request == null || request.requiredApprovals() == null || request.requiredApprovals() < 0 || request.requiredApprovals() > 10) {
            throw ProblemException.invalid("invalid protection", "/requiredApprovals", "0 to 10 approvals a merge needs");
        }
        boolean requireChecks = Boolean.TRUE.equals(request.requireChecks());
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        branches.requireBranch(dataset, branch);
        reviews.protect(dataset.id, branch, request.requiredApprovals(), requireChecks, by());
        return new Protection(request.requiredApprovals(), requireChecks);
    }

    /** Lifts a branch's protection. */
    @Transactional
    public void unprotect(String nameOrSlug, String branch) {
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        branches.requireBranch(dataset, branch);
        reviews.protect(dataset.id, branch, null, false, by());
    }

    @Transactional
    public Protection protection(String nameOrSlug, String branch) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        branches.requireBranch(dataset, branch);
        ReviewRepository.BranchProtection protection = reviews.protection(dataset.id, branch)
                .orElseThrow(() -> ProblemException.notFound("branch \"" + branch + "\" of \"" + dataset.name + "\" is not protected"));
        return new Protection(protection.requiredApprovals(), protection.requireChecks());
    }

    /** 409 when a direct commit would move a protected branch. Runs in the caller's transaction. */
    void requireUnprotected(Dataset dataset, String branch) {
        if (reviews.protection(dataset.id, branch).isPresent()) {
            throw ProblemException.conflict("branch \"" + branch + "\" of \"" + dataset.name + "\" is protected: it moves only by merging a "
                    + "pull request into it (POST /datasets/" + dataset.slug + "/pulls)");
        }
    }

    /** 409 when a protected branch would be deleted. */
    void requireDeletable(Dataset dataset, String branch) {
        if (reviews.protection(dataset.id, branch).isPresent()) {
            throw ProblemException.conflict("branch \"" + branch + "\" is protected; lift its protection first");
        }
    }

    @Transactional
    public Review review(String nameOrSlug, int number, NewReview request) {
        if (request == null || !List.of("approve", "request-changes").contains(request.verdict())) {
            throw ProblemException.invalid("invalid review", "/verdict", "approve or request-changes");
        }
        if (request.comment() != null && request.comment().length() > 20_000) {
            throw ProblemException.invalid("invalid review", "/comment", "at most 20,000 characters");
        }
        Dataset dataset = datasetService.lock(nameOrSlug, true);
        PullRequest pull = pulls.find(dataset, number)
                .orElseThrow(() -> ProblemException.notFound("dataset \"" + dataset.name + "\" has no pull request #" + number));
        if (!"open".equals(pull.state)) {
            throw ProblemException.conflict("pull request #" + number + " is " + pull.state);
        }
        String key = caller.keyId();
        if (key.equals(pull.authorKey)) {
            throw ProblemException.withMessages(403, "the author's key cannot review its own pull request", List.of("review with another key"));
        }
        Review review = new Review(key, by(), request.verdict(), request.comment(), branches.head(dataset, pull.fromBranch),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        reviews.upsert(dataset.id, number, review);
        return review;
    }

    @Transactional
    public List<Review> reviews(String nameOrSlug, int number) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        pulls.find(dataset, number).orElseThrow(() -> ProblemException.notFound("dataset \"" + dataset.name + "\" has no pull request #" + number));
        return reviews.reviews(dataset.id, number);
    }

    /** Why a pull request may not be merged now (empty: it may). Runs in the caller's transaction. */
    List<String> blockers(Dataset dataset, PullRequest pull, String fromHead) {
        List<String> blockers = new ArrayList<>();
        Optional<ReviewRepository.BranchProtection> required = reviews.protection(dataset.id, pull.intoBranch);
        List<Review> all = reviews.reviews(dataset.id, pull.number);
        all.stream().filter(r -> r.verdict().equals("request-changes"))
                .forEach(r -> blockers.add(r.reviewer() + " requested changes" + (r.comment() == null ? "" : ": " + r.comment())));
        if (required.isPresent()) {
            long approvals = all.stream().filter(r -> r.verdict().equals("approve") && r.reviewedVersion().equals(fromHead)).count();
            if (approvals < required.get().requiredApprovals()) {
                blockers.add("\"" + pull.intoBranch + "\" is protected: " + required.get().requiredApprovals() + " approval(s) of the head " + fromHead
                        + " needed, " + approvals + " given");
            }
            blockers.addAll(checks.blockers(dataset, pull, fromHead, required.get().requireChecks()));
        }
        return blockers;
    }

    private String by() {
        return caller.keyName();
    }
}
