package io.dataline.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), running in this JVM and
 * bound to 127.0.0.1 only. Its log directory is formatted on first start and reused afterwards, so a broker started
 * again on the same directory keeps its topics and offsets.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final Path deleteOnClose;
    private final int partitions;
    private KafkaRaftServer server;

    private KafkaBroker(Path logDir, int port, int controllerPort, Path deleteOnClose, int partitions) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.deleteOnClose = deleteOnClose;
        this.partitions = partitions;
    }

    /** Starts a broker on {@code port} (0 = any free port) with its data under {@code logDir}. */
    public static KafkaBroker start(Path logDir, int port) {
        return start(logDir, port, 1);
    }

    /** As {@link #start(Path, int)}; topics created automatically get {@code partitions} partitions. */
    public static KafkaBroker start(Path logDir, int port, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
        }
        // the controller's port from aside: the local stack's service ports were picked in another JVM (a test's)
        KafkaBroker broker = new KafkaBroker(logDir, port == 0 ? FreePorts.pick() : port, FreePorts.pickAside(), null, partitions);
        broker.startup();
        return broker;
    }

    /** Starts a throw-away broker (any free port) whose data directory is deleted when it is closed. */
    public static KafkaBroker startTemporary() {
        try {
            Path dir = Files.createTempDirectory("dataline-kafka-");
            KafkaBroker broker = new KafkaBroker(dir.resolve("kraft"), FreePorts.pick(), FreePorts.pick(), dir, 1);
            broker.startup();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code bootstrap.servers} value for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Starts the broker again on the same ports and data after {@link #stop()} (e.g. to test a broker outage). */
    public synchronized void restart() {
        if (server == null) {
            startup();
        }
    }

    private synchronized void startup() {
        QuietLogging.apply();
        try {
            Files.createDirectories(logDir);
            Path propsFile = logDir.resolveSibling(logDir.getFileName() + ".properties");
            Properties props = properties();
            try (OutputStream out = Files.newOutputStream(propsFile)) {
                props.store(out, "single-node KRaft broker");
            }
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(propsFile);
            }
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka log dir " + logDir, e);
        }
    }

    private void format(Path propsFile) {
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", propsFile.toString()},
                new PrintStream(captured, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format failed (" + exit + "): " + captured.toString(StandardCharsets.UTF_8));
        }
    }

    private Properties properties() {
        Properties props = new Properties();
        try (InputStream fixed = KafkaBroker.class.getResourceAsStream("kafka-single-node.properties")) {
            props.load(fixed);
        } catch (IOException e) {
            throw new UncheckedIOException("kafka-single-node.properties missing from local-infra", e);
        }
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", Integer.toString(partitions));
        return props;
    }

    /** Stops the broker (data kept); {@link #restart()} brings it back. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Stops the broker; a temporary one also loses its data directory. */
    @Override
    public void close() {
        stop();
        if (deleteOnClose != null) {
            try (var paths = Files.walk(deleteOnClose)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + deleteOnClose, e);
            }
        }
    }
}
