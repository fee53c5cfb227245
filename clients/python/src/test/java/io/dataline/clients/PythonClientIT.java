package io.dataline.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.testsupport.LocalStackProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client as a user gets it: {@code pip install} from this directory (offline: its build backend is in the
 * tree and needs nothing from an index), then its tests ({@code python3 -m unittest}, the contract cases of
 * {@code clients/contract}) run against the installed copy, not the sources, and against the real local stack started
 * here with {@code ./dataline up}. The run's output is kept in {@code target/python-unittest.log}.
 */
class PythonClientIT {

    @TempDir
    Path home;

    @Test
    void shouldInstallWithPipAndPassTheContractAgainstTheRealStack() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        Path site = module.resolve("target/python-site");
        Path tests = module.resolve("target/python-tests");
        deleteTree(site);
        deleteTree(tests);
        LocalStackProcess.Result installed = LocalStackProcess.run(module, List.of(python(), "-m", "pip", "install", "--no-index",
                "--disable-pip-version-check", "--target", site.toString(), "."), Map.of(), Duration.ofMinutes(5));
        assertThat(installed.exitCode()).as(installed.output()).isZero();
        assertThat(site.resolve("dataline/__init__.py")).exists();
        copyTree(module.resolve("tests"), tests.resolve("tests"));

        try (LocalStackProcess stack = LocalStackProcess.up(home)) {
            Map<String, String> env = new HashMap<>(stack.clientEnvironment());
            env.put("PYTHONPATH", site.toString());
            env.put("DATALINE_CONTRACT", module.resolve("../contract/feedback-dataset.json").normalize().toString());
            LocalStackProcess.Result result = LocalStackProcess.run(tests, List.of(python(), "-m", "unittest", "discover", "-v", "-s", "tests",
                    "-t", "."), env, Duration.ofMinutes(10));
            Files.writeString(module.resolve("target/python-unittest.log"), result.output());
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).containsPattern("Ran \\d+ tests").contains("\nOK").doesNotContain("skipped");
        }
    }

    /** {@code python3} unless {@code dataline.python} names another (3.9 or newer). */
    private static String python() {
        return System.getProperty("dataline.python", "python3");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(f -> !f.toString().contains("__pycache__")).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
