package io.dataline.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.testsupport.LocalStackProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TypeScript SDK's tests ({@code node --test test/}, the contract cases of {@code clients/contract}) against the
 * real local stack, started here with {@code ./dataline up} on free ports: the compiled package (the build ran
 * {@code npm ci} and {@code tsc}) talks to it exactly as a user's script would, through {@code DATALINE_URL} and
 * {@code DATALINE_API_KEY}. The run's TAP output is kept in {@code target/node-test.tap}.
 */
class TypeScriptClientIT {

    @TempDir
    Path home;

    @Test
    void shouldPassTheContractAgainstTheRealStack() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        try (LocalStackProcess stack = LocalStackProcess.up(home)) {
            LocalStackProcess.Result result = LocalStackProcess.run(module, List.of("node", "--test", "--test-reporter=tap", "test/"),
                    stack.clientEnvironment(), Duration.ofMinutes(10));
            Files.createDirectories(module.resolve("target"));
            Files.writeString(module.resolve("target/node-test.tap"), result.output());
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("# fail 0").doesNotContain("# SKIP").containsPattern("# pass \\d+");
        }
    }
}
