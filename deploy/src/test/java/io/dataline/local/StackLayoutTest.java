package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Covers the launcher's configuration: default and moved ports, a malformed port refused with the variable's name,
 * the admin key (taken from the environment when long enough, else generated once, owner-only, and reused), and
 * replicas: their ports, process names and partitions, remembered for {@code down}, out-of-range counts refused.
 */
class StackLayoutTest {

    @TempDir
    Path root;

    @Test
    void shouldPlaceReplicasTwentyPortsApartWithAPartitionEach() throws Exception {
        StackLayout one = StackLayout.from(root, Map.of());
        assertThat(one.replicas()).isEqualTo(1);
        assertThat(one.partitions()).isEqualTo(1);
        assertThat(one.instances()).isEqualTo(one.services());

        StackLayout two = StackLayout.from(root, Map.of("DATALINE_REPLICAS", "2", "DATALINE_PORT_BASE", "7000"));
        assertThat(two.partitions()).isEqualTo(2);
        assertThat(two.instances()).hasSize(10);
        ServiceSpec second = two.instances().get(5);
        assertThat(second.processName()).isEqualTo("dataset-service-2");
        assertThat(second.port()).isEqualTo(7020);
        assertThat(second.managementPort()).isEqualTo(8020);
        assertThat(two.instances().get(0).processName()).isEqualTo("dataset-service");
        assertThat(StackLayout.from(root, Map.of("DATALINE_REPLICAS", "2", "DATALINE_TOPIC_PARTITIONS", "6")).partitions()).isEqualTo(6);

        // down and status without the option cover what up started
        Files.createDirectories(two.runDir());
        Files.writeString(two.replicasFile(), "3");
        assertThat(StackLayout.from(root, Map.of()).replicas()).isEqualTo(3);
        for (String wrong : new String[] {"0", "9", "two"}) {
            assertThatThrownBy(() -> StackLayout.from(root, Map.of("DATALINE_REPLICAS", wrong))).isInstanceOf(LauncherException.class)
                    .hasMessageContaining("DATALINE_REPLICAS");
        }
    }

    @Test
    void shouldUseTheFixedDefaultPortsUnderDotDataline() {
        StackLayout layout = StackLayout.from(root, Map.of());

        assertThat(layout.home()).isEqualTo(root.resolve(".dataline"));
        assertThat(layout.kafkaPort()).isEqualTo(9092);
        assertThat(layout.postgresPort()).isEqualTo(5432);
        assertThat(layout.services()).extracting(ServiceSpec::name, ServiceSpec::port).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dataset-service", 8080),
                org.assertj.core.groups.Tuple.tuple("validation-service", 8081),
                org.assertj.core.groups.Tuple.tuple("training-orchestrator", 8082),
                org.assertj.core.groups.Tuple.tuple("deploy-service", 8083),
                org.assertj.core.groups.Tuple.tuple("console", 8084));
    }

    @Test
    void shouldMoveThePortsAndHomeFromTheEnvironment() {
        StackLayout layout = StackLayout.from(root, Map.of("DATALINE_PORT_BASE", "18080", "DATALINE_KAFKA_PORT", "19092",
                "DATALINE_POSTGRES_PORT", "15432", "DATALINE_HOME", root.resolve("elsewhere").toString()));

        assertThat(layout.home()).isEqualTo(root.resolve("elsewhere"));
        assertThat(layout.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(layout.jdbcUrl("deploy_service")).isEqualTo("jdbc:postgresql://127.0.0.1:15432/deploy_service");
        assertThat(layout.services().get(3).port()).isEqualTo(18083);
    }

    @Test
    void shouldPassFurtherJavaOptionsToTheStacksProcessesAndRefuseAnythingElse() {
        assertThat(StackLayout.from(root, Map.of()).javaOptions()).isEmpty();
        assertThat(StackLayout.from(root, Map.of("DATALINE_JAVA_OPTS", "  ")).javaOptions()).isEmpty();
        assertThat(StackLayout.from(root, Map.of("DATALINE_JAVA_OPTS", " -XX:TieredStopAtLevel=1   -Xmx1g ")).javaOptions())
                .containsExactly("-XX:TieredStopAtLevel=1", "-Xmx1g");
        assertThatThrownBy(() -> StackLayout.from(root, Map.of("DATALINE_JAVA_OPTS", "-Xmx1g rm")))
                .isInstanceOf(LauncherException.class).hasMessageContaining("DATALINE_JAVA_OPTS").hasMessageContaining("'rm'");
    }

    @Test
    void shouldRefuseAPortThatIsNotANumber() {
        assertThatThrownBy(() -> StackLayout.from(root, Map.of("DATALINE_KAFKA_PORT", "ninety")))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("DATALINE_KAFKA_PORT");
    }

    @Test
    void shouldGenerateTheAdminKeyOnceAndKeepItPrivate() throws Exception {
        StackLayout layout = StackLayout.from(root, Map.of());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(layout, Map.of(), new PrintStream(printed, true, StandardCharsets.UTF_8));

        String first = stack.adminKey();
        String second = stack.adminKey();

        assertThat(first).startsWith("dl_admin_").hasSizeGreaterThanOrEqualTo(40).isEqualTo(second);
        assertThat(printed.toString(StandardCharsets.UTF_8)).containsOnlyOnce(first);
        assertThat(Files.getPosixFilePermissions(layout.adminKeyFile()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void shouldTakeTheAdminKeyFromTheEnvironmentOnlyWhenLongEnough() throws Exception {
        StackLayout layout = StackLayout.from(root, Map.of());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThat(new LocalStack(layout, Map.of("DATALINE_ADMIN_KEY", "0123456789abcdef"), quiet).adminKey())
                .isEqualTo("0123456789abcdef");
        assertThat(Files.exists(layout.adminKeyFile())).isFalse();
        assertThatThrownBy(() -> new LocalStack(layout, Map.of("DATALINE_ADMIN_KEY", "short"), quiet).adminKey())
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("at least 16");
    }
}
