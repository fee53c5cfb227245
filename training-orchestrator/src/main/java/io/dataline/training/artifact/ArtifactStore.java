package io.dataline.training.artifact;

import io.dataline.training.config.TrainingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The artifact store: a directory ({@code dataline.artifacts.dir}) with one immutable file per run,
 * {@code <model>/<runId>/<file name>}. Artifacts are written before the registry row that names them and never
 * changed afterwards; other processes fetch them over HTTP ({@code GET /models/{name}/versions/{n}/artifact}).
 */
@ApplicationScoped
public class ArtifactStore {

    /** Where an artifact was stored, its SHA-256 (hex) and size. */
    public record Stored(String path, String sha256, long size) {
    }

    private final Path root;

    /** The store under {@code dataline.artifacts.dir} (public: tests of its users build one over a directory). */
    public ArtifactStore(TrainingConfig config) {
        this.root = Path.of(config.artifacts().dir()).toAbsolutePath();
    }

    public Stored store(String model, UUID runId, Path file) throws IOException {
        String relative = model + "/" + runId + "/" + file.getFileName();
        Path target = root.resolve(relative);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        MessageDigest sha = sha256();
        long size;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS), sha); OutputStream out = Files.newOutputStream(partial)) {
            size = in.transferTo(out);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Stored(relative, HexFormat.of().formatHex(sha.digest()), size);
    }

    public Path resolve(String path) {
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException("artifact path leaves the store: " + path);
        }
        return resolved;
    }

    public InputStream open(String path) throws IOException {
        return Files.newInputStream(resolve(path));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
