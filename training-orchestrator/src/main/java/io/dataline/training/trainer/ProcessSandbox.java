package io.dataline.training.trainer;

import io.dataline.training.config.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a process trainer is started: in its run's own directory, with a clean environment (PATH, HOME and TMPDIR in the
 * run directory, LANG, the run's {@code DATALINE_*} values, and only what the template's {@code env} and
 * {@code inherit-env} add: never the service's keys or passwords), and under prlimit(1) limits on address space, file
 * size and open files, with no core dumps. Relative paths in the configured command name files relative to the
 * service's working directory and are made absolute, since the process runs elsewhere.
 */
final class ProcessSandbox {

    static final List<String> ALWAYS = List.of("PATH", "HOME", "TMPDIR", "LANG");
    private static final String SAFE_PATH = "/usr/local/bin:/usr/bin:/bin";

    private ProcessSandbox() {
    }

    static ProcessBuilder builder(TrainingConfig.ProcessTemplate template, List<String> command, Map<String, String> values, Path runDir,
            Map<String, String> serviceEnv) throws TrainingFailedException {
        Path cwd = Path.of("").toAbsolutePath();
        List<String> full = new ArrayList<>();
        TrainingConfig.Limits limits = template.limits();
        if (limits.enabled()) {
            String prlimit = find("prlimit", serviceEnv.getOrDefault("PATH", SAFE_PATH));
            if (prlimit == null) {
                throw new TrainingFailedException("the process trainer runs trainers under prlimit(1) (util-linux), which is not on this "
                        + "machine's PATH; install it, or set dataline.trainers.process.<template>.limits.enabled=false to run unlimited");
            }
            full.addAll(List.of(prlimit, "--as=" + limits.maxMemoryBytes(), "--fsize=" + limits.maxFileBytes(),
                    "--nofile=" + limits.maxOpenFiles(), "--core=0"));
        }
        for (String part : command) {
            Path relative = part.isEmpty() || part.startsWith("-") || part.startsWith("/") ? null : pathOrNull(part);
            full.add(relative != null && Files.exists(cwd.resolve(relative)) ? cwd.resolve(relative).normalize().toString() : part);
        }
        Path tmp = runDir.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new TrainingFailedException("preparing the run's directory failed: " + e.getMessage(), e);
        }
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
                .directory(template.directory().map(Path::of).orElse(runDir).toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", serviceEnv.getOrDefault("PATH", SAFE_PATH));
        env.put("HOME", runDir.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("LANG", "C.UTF-8");
        template.inheritEnv().orElse(List.of()).forEach(name -> {
            if (serviceEnv.containsKey(name)) {
                env.put(name, serviceEnv.get(name));
            }
        });
        env.putAll(template.env());
        values.forEach((name, value) -> env.put("DATALINE_" + ProcessTrainer.snake(name), value));
        return builder;
    }

    private static Path pathOrNull(String part) {
        try {
            return Path.of(part);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static String find(String program, String path) {
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program).toString();
            }
        }
        return null;
    }
}
