package io.dataline.dataset;

import io.dataline.infra.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API server for the tests: s3rver (npm, pinned by {@code src/test/s3rver/package-lock.json}) on the machine's
 * Node.js, installed with {@code npm ci} into {@code target/s3rver} on first use, listening on 127.0.0.1 at a port below
 * the ephemeral range, with the bucket {@link #BUCKET}. One per test JVM; {@link #stop} and {@link #start} let a test
 * take object storage away and bring it back (same port, same files).
 */
final class S3Server {

    static final String BUCKET = "dataline-chunks";
    /** s3rver's fixed credentials. */
    static final String ACCESS_KEY = "S3RVER";
    static final String SECRET_KEY = "S3RVER";

    private static S3Server shared;

    private final Path home;
    private final Path data;
    private final int port = FreePorts.pick();
    private Process process;

    private S3Server(Path home) throws IOException {
        this.home = home;
        this.data = Files.createTempDirectory(home, "data-");
    }

    static synchronized S3Server shared() {
        if (shared == null) {
            try {
                shared = new S3Server(install());
            } catch (IOException e) {
                throw new IllegalStateException("cannot install the test S3 server (s3rver): " + e.getMessage(), e);
            }
            shared.start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "s3rver-stop"));
        }
        return shared;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        Path cli = home.resolve("node_modules/s3rver/bin/s3rver.js");
        try {
            process = new ProcessBuilder(List.of("node", cli.toString(), "--address", "127.0.0.1", "--port", Integer.toString(port),
                    "--directory", data.toString(), "--configure-bucket", BUCKET, "--silent"))
                    .redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = output.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.contains("listening on")) {
                    Thread drain = new Thread(() -> output.lines().forEach(ignored -> { }), "s3rver-output");
                    drain.setDaemon(true);
                    drain.start();
                    return;
                }
            }
            throw new IllegalStateException("s3rver ended before it listened:\n" + seen);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start s3rver (needs Node.js on the PATH): " + e.getMessage(), e);
        }
    }

    synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** {@code npm ci} of the pinned s3rver into target/s3rver, unless it is there already. */
    private static Path install() throws IOException {
        Path home = Path.of("target", "s3rver").toAbsolutePath();
        if (Files.exists(home.resolve("node_modules/s3rver/bin/s3rver.js"))) {
            return home;
        }
        Files.createDirectories(home);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(Path.of("src", "test", "s3rver", file), home.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("npm-ci.log").toFile()).start();
        try {
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IOException("npm ci failed; see " + home.resolve("npm-ci.log") + ":\n" + Files.readString(home.resolve("npm-ci.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during npm ci", e);
        }
        return home;
    }
}
