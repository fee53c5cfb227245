package io.dataline.training.service;

import io.dataline.training.RunState;
import io.dataline.training.TrainingRunRepository;
import io.dataline.training.config.TrainingConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The token a remote trainer presents to read a run's inputs and upload its outputs: issued per attempt, stored as its SHA-256 only,
 * accepted while the run is RUNNING; and where the uploads land (the current attempt's own directory).
 */
@ApplicationScoped
public class UploadTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    TrainingRunRepository runs;

    @Inject
    TrainingConfig config;

    /** A token and the SHA-256 the run's row keeps of it. */
    record Token(String value, String hash) {
    }

    /**
     * A new token for the attempt a claim starts ({@code RunService.claim} stores its hash with the claim, so the
     * previous attempt's token stops working in the same transaction).
     */
    static Token fresh() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new Token(token, sha256(token));
    }

    /** Checks a token a remote trainer presents for a run's uploads (only while the run is RUNNING). */
    public boolean accepts(UUID runId, String token) {
        return QuarkusTransaction.requiringNew().call(() -> runs.findByIdOptional(runId)
                .filter(r -> r.state == RunState.RUNNING && r.uploadTokenHash != null)
                .map(r -> MessageDigest.isEqual(r.uploadTokenHash.getBytes(StandardCharsets.US_ASCII), sha256(token).getBytes(StandardCharsets.US_ASCII)))
                .orElse(false));
    }

    /** Where the run's current attempt collects its outputs (each attempt has a directory of its own). */
    public Path outputDir(UUID runId) {
        return currentAttemptDir(runId).resolve("out");
    }

    /** Where the run's current attempt keeps what a remote trainer may read (only during the step that reads it). */
    public Path inputDir(UUID runId) {
        return currentAttemptDir(runId).resolve("inputs");
    }

    private Path currentAttemptDir(UUID runId) {
        int attempt = QuarkusTransaction.requiringNew().call(() -> runs.findByIdOptional(runId).map(r -> r.attempts).orElse(0));
        return attemptDir(Path.of(config.runs().workDir()), runId, attempt);
    }

    /** The working directory of one attempt of a run, so a retried attempt never collects an earlier one's files. */
    public static Path attemptDir(Path workDir, UUID runId, int attempt) {
        return workDir.toAbsolutePath().resolve(runId.toString()).resolve("attempt-" + attempt);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
