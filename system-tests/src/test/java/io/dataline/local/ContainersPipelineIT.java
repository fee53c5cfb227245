package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.infra.FreePorts;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The containers profile on local images ({@code -Ddataline.infra=containers -Ddataline.images=local}): the whole pipeline with every piece in its own
 * container, on a Docker engine or on podman (Testcontainers through {@code DOCKER_HOST}), from the images that
 * {@code deploy/containers/build-images.sh} builds locally out of Debian packages and Maven artifacts —
 * {@code dataline/postgres}, {@code dataline/kafka} and one image per service. The containers share the host's network
 * on 127.0.0.1 only (free ports picked by the test), so each service finds the others as the local stack does; the
 * services are configured exactly as {@code ./dataline up} configures them ({@link LocalStack#serviceEnvironment}). A
 * commit of the demo sample goes through validation, training and the gates to a promoted model that answers a
 * prediction.
 */
@EnabledIfSystemProperty(named = "dataline.infra", matches = "containers", disabledReason = "the containers profile: -Ddataline.infra=containers")
@EnabledIfSystemProperty(named = "dataline.images", matches = "local", disabledReason = "on the images built here: -Ddataline.images=local")
class ContainersPipelineIT {

    static final Duration STAGE = Duration.ofMinutes(3);
    static final String VERSION = System.getProperty("dataline.version");
    static final String DB_PASSWORD = "containers-it-password";

    static StackUnderTest stack;
    static final List<GenericContainer<?>> containers = new ArrayList<>();

    static DockerImageName image(String name) {
        return DockerImageName.parse("localhost/dataline/" + name);
    }

    static GenericContainer<?> start(GenericContainer<?> container, String name) {
        container.withNetworkMode("host").withImagePullPolicy(image -> false) // built locally, never pulled
                .withLogConsumer(new Slf4jLogConsumer(org.slf4j.LoggerFactory.getLogger("container." + name)));
        containers.add(container);
        container.start();
        return container;
    }

    @BeforeAll
    static void up() throws Exception {
        stack = new StackUnderTest(Files.createTempDirectory("dataline-containers-it"));
        int controller = FreePorts.pick();
        start(new GenericContainer<>(image("postgres:15")).withEnv("PGPORT", Integer.toString(stack.postgres))
                .withEnv("LISTEN_ADDRESSES", "127.0.0.1").withEnv("POSTGRES_PASSWORD", DB_PASSWORD)
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2).withStartupTimeout(Duration.ofMinutes(2))),
                "postgres");
        List<ServiceSpec> services = ServiceSpec.all(stack.base).stream().filter(ServiceSpec::hasDatabase).toList(); // the pipeline's four
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + stack.postgres + "/postgres", "postgres", DB_PASSWORD);
                Statement create = db.createStatement()) {
            for (ServiceSpec service : services) {
                create.execute("CREATE DATABASE " + service.database());
            }
        }
        start(new GenericContainer<>(image("kafka:4.1.2")).withEnv("KAFKA_PORT", Integer.toString(stack.kafka))
                .withEnv("KAFKA_CONTROLLER_PORT", Integer.toString(controller)).withEnv("KAFKA_LISTEN_HOST", "127.0.0.1")
                .withEnv("KAFKA_ADVERTISED_HOST", "127.0.0.1")
                .waitingFor(Wait.forLogMessage(".*dataline-kafka: ready.*", 1).withStartupTimeout(Duration.ofMinutes(2))), "kafka");
        for (ServiceSpec service : services) {
            Map<String, String> env = LocalStack.serviceEnvironment(service, services,
                    "jdbc:postgresql://127.0.0.1:" + stack.postgres + "/" + service.database(), "postgres", DB_PASSWORD,
                    "127.0.0.1:" + stack.kafka, StackUnderTest.ADMIN_KEY);
            env.put("JAVA_TOOL_OPTIONS", "-Xmx384m -XX:+ExitOnOutOfMemoryError");
            if (System.getenv("APICURIO_REGISTRY_URL") != null) {
                env.put("APICURIO_REGISTRY_URL", System.getenv("APICURIO_REGISTRY_URL"));
            }
            if (service.name().equals("training-orchestrator")) {
                env.put("DATALINE_ARTIFACTS_DIR", "/var/lib/dataline/artifacts");
                env.put("DATALINE_RUNS_DIR", "/var/lib/dataline/runs");
                env.put("DATALINE_CODE_COMMIT", "containers-it");
            }
            start(new GenericContainer<>(image(service.name() + ":" + VERSION)).withEnv(env)
                    .waitingFor(Wait.forLogMessage(".*" + service.name() + " .* started in .*", 1).withStartupTimeout(Duration.ofMinutes(3))),
                    service.name());
        }
        for (ServiceSpec service : services) {
            stack.await(service.managementUrl() + "/q/health/ready", health -> "UP".equals(health.path("status").asText()), STAGE);
        }
    }

    @AfterAll
    static void down() {
        for (int i = containers.size() - 1; i >= 0; i--) {
            containers.get(i).stop();
        }
    }

    @Test
    void shouldRunACommitThroughEveryStageToAPromotedModelWithEachPieceInItsOwnContainer() throws Exception {
        String slug = stack.createDataset("Containers", Demo.pipeline());
        stack.json("POST", stack.datasets() + "/datasets/" + slug + "/records", Demo.sample().subList(0, 200), 200);
        String version = stack.json("POST", stack.datasets() + "/datasets/" + slug + "/commits", Map.of("message", "in containers"), 201)
                .path("hash").asText();

        JsonNode lineage = stack.awaitTerminal(slug, version, STAGE);
        assertThat(lineage.path("stages").findValuesAsText("stage")).as(lineage.toString())
                .containsSubsequence("committed", "validation", "training", "registered", "promotion");
        assertThat(lineage.path("outcome").asText()).isEqualTo("promoted");
        JsonNode staging = stack.json("GET", stack.deploy() + "/models/" + slug + "/stages", null, 200).path("staging");
        assertThat(staging.path("dataVersion").asText()).isEqualTo(version);
        JsonNode prediction = stack.json("POST", stack.deploy() + "/models/" + slug + "/staging/predict",
                Map.of("records", List.of(Map.of("feedback", "Great service, fast delivery, thank you!"))), 200);
        assertThat(prediction.path("predictions").get(0).path("label").asText()).isEqualTo("positive");
    }
}
