package io.dataline.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The local stack's secrets: given in the environment, or generated on the first {@code up} and kept owner-only under
 * {@code .dataline/} so every later start uses the same ones.
 */
final class StackKeys {

    private static final int MIN_ADMIN_KEY_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StackLayout layout;
    private final Map<String, String> env;
    private final PrintStream out;

    StackKeys(StackLayout layout, Map<String, String> env, PrintStream out) {
        this.layout = layout;
        this.env = env;
        this.out = out;
    }

    /**
     * The admin API key: {@code DATALINE_ADMIN_KEY} when set (16 characters or more), else the key generated on the
     * first {@code up} and kept in {@code .dataline/admin-key}, printed when generated.
     */
    String adminKey() throws IOException {
        String configured = env.get("DATALINE_ADMIN_KEY");
        if (configured != null && !configured.isEmpty()) {
            if (configured.length() < MIN_ADMIN_KEY_LENGTH) {
                throw new LauncherException("DATALINE_ADMIN_KEY must be at least " + MIN_ADMIN_KEY_LENGTH + " characters long");
            }
            return configured;
        }
        Path file = layout.adminKeyFile();
        if (Files.isRegularFile(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String key = keep(file, "dl_admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random32()));
        out.println("Generated the admin API key (kept in " + file + "):");
        out.println("  " + key);
        return key;
    }

    /**
     * The key that encrypts webhook secrets and tokens at rest: {@code DATALINE_WEBHOOK_ENCRYPTION_KEY} when set, else
     * one generated on the first start and kept in {@code .dataline/webhook-key}.
     */
    String webhookKey() {
        String configured = env.get("DATALINE_WEBHOOK_ENCRYPTION_KEY");
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        Path file = layout.webhookKeyFile();
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            return keep(file, Base64.getEncoder().encodeToString(random32()));
        } catch (IOException e) {
            throw new LauncherException("cannot keep the webhook encryption key in " + file + ": " + e.getMessage());
        }
    }

    private static String keep(Path file, String key) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    private static byte[] random32() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return random;
    }
}
