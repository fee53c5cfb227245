import io.dataline.bench.Api;
import io.dataline.bench.Records;
import java.io.*;
import java.net.URI;
import java.net.http.*;
import java.nio.file.*;
import java.util.*;

/**
 * java -cp bench.jar:lib/* Drive1m.java <base-url> <commits> [jfr-file]: loads 1M records into a new dataset, then
 * commits like commit-scaling's, each after an export of the head and once the machine is idle; prints each commit's
 * Server-Timing and the CPU the machine, dataset-service (also per thread) and PostgreSQL spent during it. With a JFR
 * file, records dataset-service from the first commit on (settings: DRIVER_JFC, default "profile"; session 48 used a
 * copy of the JDK's profile.jfc with method samples every 2 ms and socket/park thresholds of 1 ms). DRIVER_HOOK: a
 * script run before each commit (explain-hook.sh); DRIVER_HOOK2: one run after each commit, once its CPU is read. Each
 * commit's wall-clock start and end are printed too (session 49: to match the JIT's log, -Xlog with time decorations).
 */
public class DriveN {
    public static void main(String[] a) throws Exception {
        String base = a[0];
        int commits = Integer.parseInt(a[1]);
        String jfr = a.length > 2 ? a[2] : "-";
        String key = System.getenv("DATALINE_ADMIN_KEY");
        Api api = new Api(base, key);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String ds = "prof-" + UUID.randomUUID().toString().substring(0, 8);
        int n = Integer.parseInt(System.getenv().getOrDefault("DRIVER_N", "1000000"));
        int changes = Integer.parseInt(System.getenv().getOrDefault("DRIVER_CHANGES", "1000"));
        int jfrFrom = Integer.parseInt(System.getenv().getOrDefault("DRIVER_JFR_FROM", "1"));
        long salt = Records.freshSalt();
        api.createDataset(ds, null);
        api.stage(ds, () -> new SequenceInputStream(new Enumeration<InputStream>() {
            long i = 0;
            public boolean hasMoreElements() { return i < n; }
            public InputStream nextElement() {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (int k = 0; k < 10000 && i < n; k++, i++) b.writeBytes(Records.lineBytes(i, 0, salt));
                return new ByteArrayInputStream(b.toByteArray());
            }
        }));
        String head = commit(http, base, key, ds, "loaded");
        Random random = new Random(7);
        Set<Long> deleted = new HashSet<>();
        long next = n;
        String pid = new String(new ProcessBuilder("pgrep", "-f", "dataset-service.*quarkus-run").start().getInputStream().readAllBytes()).trim().split("\\s+")[0];
        for (int c = 1; c <= commits; c++) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            List<Long> deletes = new ArrayList<>();
            int picked = 0;
            List<Long> updates = new ArrayList<>();
            while (updates.size() + deletes.size() < changes * 8 / 10) {
                long k = (long) (random.nextDouble() * n);
                if (!deleted.contains(k) && !updates.contains(k) && !deletes.contains(k)) {
                    if (updates.size() < changes * 7 / 10) updates.add(k); else deletes.add(k);
                }
            }
            Collections.sort(updates);
            for (long k : updates) body.writeBytes(Records.lineBytes(k, c, salt));
            for (int i = 0; i < changes / 5; i++) body.writeBytes(Records.lineBytes(next++, 0, salt));
            api.stage(ds, () -> new ByteArrayInputStream(body.toByteArray()));
            for (long k : deletes) api.delete(ds, Records.key(k));
            deleted.addAll(deletes);
            long t0 = System.nanoTime();
            long bytes = api.drain("/datasets/" + ds + "/versions/" + head + "/records");
            System.out.printf("export %d ms %d bytes%n", (System.nanoTime() - t0) / 1_000_000, bytes);
            if (c == jfrFrom && !jfr.equals("-")) {
                new ProcessBuilder("jcmd", pid, "JFR.start", "name=drv", "settings=" + System.getenv().getOrDefault("DRIVER_JFC", "profile"), "filename=" + jfr).inheritIO().start().waitFor();
            }
            waitIdle();
            if (Files.isExecutable(Path.of(System.getenv().getOrDefault("DRIVER_HOOK", "/nonexistent")))) {
                new ProcessBuilder(System.getenv("DRIVER_HOOK")).inheritIO().start().waitFor();
                waitIdle();
            }
            Map<String, Long> threadsBefore = threads(pid);
            long[] before = cpu(pid);
            System.out.println("  wall-start " + java.time.Instant.now());
            head = commit(http, base, key, ds, "c" + c);
            System.out.println("  wall-end " + java.time.Instant.now());
            long[] after = cpu(pid);
            System.out.printf("  cpu-ms busy=%d ds=%d pg=%d%n", (after[0] - before[0]) * 10, (after[1] - before[1]) * 10, (after[2] - before[2]) * 10);
            Map<String, Long> threadsAfter = threads(pid);
            Map<String, Long> spent = new TreeMap<>();
            threadsAfter.forEach((name, ticks) -> {
                long d = ticks - threadsBefore.getOrDefault(name, 0L);
                if (d > 0) spent.merge(name.replaceAll("[0-9]+", "N"), d * 10, Long::sum);
            });
            System.out.println("  ds-threads " + spent);
            if (Files.isExecutable(Path.of(System.getenv().getOrDefault("DRIVER_HOOK2", "/nonexistent")))) {
                new ProcessBuilder(System.getenv("DRIVER_HOOK2")).inheritIO().start().waitFor();
            }
        }
        if (!jfr.equals("-")) {
            new ProcessBuilder("jcmd", pid, "JFR.stop", "name=drv").inheritIO().start().waitFor();
        }
        System.out.println("DONE");
    }

    /** Ticks: the machine busy, dataset-service, every postgres process. */
    static long[] cpu(String pid) throws IOException {
        String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= 8; i++) if (i != 4 && i != 5) busy += Long.parseLong(all[i]);
        long pg = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    if (stat.contains("(postgres)")) pg += ticks(stat);
                } catch (IOException gone) { }
            }
        }
        return new long[] {busy, ticks(Files.readString(Path.of("/proc/" + pid + "/stat"))), pg};
    }

    /** Waits until the machine has been nearly idle for half a second (the validation of the version before is over). */
    static void waitIdle() throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() < deadline) {
            long[] a = total();
            Thread.sleep(250);
            long[] b = total();
            quiet = (b[0] - a[0]) * 100 < 15 * (b[1] - a[1]) ? quiet + 1 : 0;
        }
    }

    static long[] total() throws IOException {
        String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0, sum = 0;
        for (int i = 1; i <= 8; i++) {
            long v = Long.parseLong(all[i]);
            sum += v;
            if (i != 4 && i != 5) busy += v;
        }
        return new long[] {busy, sum};
    }

    /** Ticks of each of the process's threads, by thread id and name. */
    static Map<String, Long> threads(String pid) throws IOException {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    ticks.put(task.getFileName() + ":" + name, ticks(stat));
                } catch (IOException gone) { }
            }
        }
        Map<String, Long> byName = new HashMap<>();
        ticks.forEach((k, v) -> byName.put(k, v));
        return byName;
    }

    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static String commit(HttpClient http, String base, String key, String ds, String msg) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/datasets/" + ds + "/commits")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"" + msg + "\",\"author\":\"drv\"}")).build();
        long t0 = System.nanoTime();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (resp.statusCode() != 201) throw new IllegalStateException(resp.statusCode() + " " + resp.body());
        System.out.printf("%s %.1f %s%n", msg, ms, resp.headers().firstValue("Server-Timing").orElse(""));
        String body = resp.body();
        int i = body.indexOf("\"hash\":\"") + 8;
        return body.substring(i, body.indexOf('"', i));
    }
}
