package io.dataline.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * commit-scaling's baseline: the same records as one NDJSON file (one record per line, key order) in a git repository,
 * the same changes applied, timed as {@code git add} + {@code git commit}, with the growth of {@code .git}.
 */
final class GitBaseline {

    /** Each commit's time and .git's growth, and how long it waited for a quiet machine before it. */
    record Measured(List<Double> millis, List<Double> bytes, List<Double> quietMillis) {
    }

    private GitBaseline() {
    }

    static Measured measure(Suite.Context context, long n, int changes, long salt) throws Exception {
        Path repo = Files.createTempDirectory(context.scratch(), "git-" + n + "-");
        try {
            CommitScaling.run(repo, "git", "init", "-q");
            CommitScaling.run(repo, "git", "config", "user.email", "bench@dataline.invalid");
            CommitScaling.run(repo, "git", "config", "user.name", "bench");
            CommitScaling.run(repo, "git", "config", "gc.auto", "0");
            Path file = repo.resolve("dataset.ndjson");
            try (InputStream in = CommitScaling.ndjson(0, n, 0, salt)) {
                Files.copy(in, file);
            }
            CommitScaling.run(repo, "git", "add", "dataset.ndjson");
            CommitScaling.run(repo, "git", "commit", "-q", "-m", "initial");
            Set<Long> deleted = new HashSet<>();
            Random random = new Random(n);
            List<Double> millis = new ArrayList<>();
            List<Double> bytes = new ArrayList<>();
            List<Double> quiet = new ArrayList<>();
            long next = n;
            for (int c = 1; c <= CommitScaling.COMMITS; c++) {
                CommitScaling.Change change = CommitScaling.Change.next(random, n, next, changes, deleted, c);
                next += change.inserts().size();
                apply(file, change, c, salt);
                long before = size(repo.resolve(".git"));
                quiet.add(Machine.awaitQuiet(context.quietMax()) / 1e6); // as each of Dataline's commits does
                long started = System.nanoTime();
                CommitScaling.run(repo, "git", "add", "dataset.ndjson");
                CommitScaling.run(repo, "git", "commit", "-q", "-m", "change " + c);
                millis.add(Stats.millis(started, System.nanoTime()));
                bytes.add((double) (size(repo.resolve(".git")) - before));
            }
            return new Measured(millis, bytes, quiet);
        } finally {
            delete(repo);
        }
    }

    /** The same change as the service gets, applied to the sorted NDJSON file (one record per line, in key order). */
    private static void apply(Path file, CommitScaling.Change change, int revision, long salt) throws IOException {
        TreeMap<String, String> replacements = new TreeMap<>();
        for (long key : change.updates()) {
            replacements.put(Records.key(key), Records.line(key, revision, salt));
        }
        Set<String> deletes = new HashSet<>();
        change.deletes().forEach(k -> deletes.add(Records.key(k)));
        Path next = file.resolveSibling("dataset.ndjson.next");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                BufferedWriter out = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String key = line.substring(7, 17);
                if (deletes.contains(key)) {
                    continue;
                }
                out.write(replacements.getOrDefault(key, line));
                out.write('\n');
            }
            for (long key : change.inserts()) {
                out.write(Records.line(key, 0, salt));
                out.write('\n');
            }
        }
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
