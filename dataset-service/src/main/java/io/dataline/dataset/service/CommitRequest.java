package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.dataset.versioning.CanonicalJson;
import io.dataline.dataset.versioning.Hash;
import io.dataline.service.rest.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /commits} (or, for a one-shot commit, its query parameters): {@code changeset} names the
 * caller's change set to commit (absent: the shared staging area); {@code expectedParent} is the head the commit
 * expects, a version hash or {@value CommitService#EMPTY} for a dataset that has no version yet (absent: no
 * expectation).
 */
public record CommitRequest(String message, String author, String expectedParent, String codeCommit, String changeset) {

    private static final String EMPTY = CommitService.EMPTY;

    public CommitRequest(String message, String author, String expectedParent, String codeCommit) {
        this(message, author, expectedParent, codeCommit, null);
    }

    /** SHA-256 of what a request asked for: its fields, and for a one-shot commit its mode and records. */
    String fingerprint(String records) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (records != null) {
            body.put("records", records);
        }
        body.put("message", message);
        body.put("author", author);
        body.put("expectedParent", expectedParent);
        body.put("codeCommit", codeCommit);
        if (changeset != null) {
            body.put("changeset", changeset);
        }
        return Hash.sha256(CanonicalJson.bytes(body)).hex();
    }

    /** 400 without a body, 422 naming each invalid field. */
    static void check(CommitRequest request, String idempotencyKey) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body is required: {\"message\": \"...\"}");
        }
        List<java.util.Map<String, Object>> errors = new ArrayList<>();
        if (request.message() == null || request.message().isBlank()) {
            errors.add(DatasetService.error("/message", "is required"));
        } else if (request.message().length() > 10_000) {
            errors.add(DatasetService.error("/message", "at most 10,000 characters"));
        }
        if (request.author() != null && request.author().length() > 200) {
            errors.add(DatasetService.error("/author", "at most 200 characters"));
        }
        if (request.expectedParent() != null && !Hash.isHex(request.expectedParent()) && !EMPTY.equals(request.expectedParent())) {
            errors.add(DatasetService.error("/expectedParent", "must be a version hash (64 lowercase hex digits) or \"" + EMPTY
                    + "\" (the dataset has no version yet)"));
        }
        if (request.changeset() != null && request.changeset().length() > 100) {
            errors.add(DatasetService.error("/changeset", "must be a change set id"));
        }
        if (request.codeCommit() != null && (request.codeCommit().isBlank() || request.codeCommit().length() > 200)) {
            errors.add(DatasetService.error("/codeCommit", "1-200 characters"));
        }
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 200
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(idempotencyKey))) {
            errors.add(DatasetService.error("/headers/Idempotency-Key", "1-200 ASCII characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("the commit request is invalid", errors);
        }
    }
}
