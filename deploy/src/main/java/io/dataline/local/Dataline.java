package io.dataline.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code ./dataline}: runs Dataline on this machine with nothing but a JDK.
 * <ul>
 * <li>{@code up}: starts Kafka and PostgreSQL (embedded, state under {@code .dataline/}) and every service on its fixed
 * port, returns once all are healthy.</li>
 * <li>{@code down}: stops exactly what {@code up} started.</li>
 * <li>{@code status}: what runs and whether it is healthy (exit code 0 only when everything is).</li>
 * <li>{@code demo}: the whole pipeline on sample data ({@link Demo}).</li>
 * <li>{@code watch}, {@code dlq list}, {@code dlq replay}: the ops view of the topics ({@link TopicOps}).</li>
 * <li>{@code outbox list}, {@code outbox replay}: events the services parked ({@link OutboxOps}).</li>
 * </ul>
 * {@code infra} is internal: the background process that hosts Kafka and PostgreSQL.
 */
public final class Dataline {

    private Dataline() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "help" : args[0];
        Map<String, String> env = System.getenv();
        if (Cli.COMMANDS.contains(command)) {
            System.exit(new Cli(env, System.out, System.err).run(args));
        }
        Path root = Path.of(env.getOrDefault("DATALINE_ROOT", ".")).toAbsolutePath().normalize();
        try {
            if ((command.equals("up") || command.equals("demo")) && args.length > 1) {
                if (args.length != 3 || !args[1].equals("--replicas")) {
                    throw new LauncherException("usage: ./dataline " + command + " [--replicas N]");
                }
                env = new java.util.HashMap<>(env);
                env.put("DATALINE_REPLICAS", args[2]);
            }
            StackLayout layout = StackLayout.from(root, env);
            LocalStack stack = new LocalStack(layout, env, System.out);
            switch (command) {
                case "up" -> stack.up();
                case "demo" -> {
                    stack.up();
                    new Demo(layout, stack.adminKey(), System.out).run();
                }
                case "down" -> stack.down();
                case "status" -> System.exit(stack.status() ? 0 : 3);
                case "watch" -> ops(layout, env).watch(List.of(args).contains("--from-beginning"), () -> false);
                case "dlq" -> dlq(ops(layout, env), args);
                case "outbox" -> outbox(new OutboxOps(layout.services(), stack.adminKey(), System.out), args);
                case "chunks" -> new ChunkOps(layout.services().stream().filter(s -> s.name().equals("dataset-service")).findFirst()
                        .orElseThrow().url(), stack.adminKey(), System.out).run(args);
                case LocalStack.INFRA -> InfrastructureProcess.run(layout);
                case "help", "-h", "--help" -> usage();
                default -> {
                    System.err.println("unknown command: " + command);
                    usage();
                    System.exit(2);
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            System.err.println("dataline: Kafka is not reachable (" + e.getMessage() + "); is the stack up? ./dataline status");
            System.exit(1);
        } catch (LauncherException e) {
            System.err.println("dataline: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(130);
        } catch (Exception e) {
            System.err.println("dataline: " + e);
            System.exit(1);
        }
    }

    /** Held so the level is not garbage-collected away; the ops commands report Kafka trouble themselves. */
    private static final java.util.logging.Logger KAFKA_LOGGER = java.util.logging.Logger.getLogger("org.apache.kafka");

    private static TopicOps ops(StackLayout layout, Map<String, String> env) {
        KAFKA_LOGGER.setLevel(java.util.logging.Level.SEVERE);
        return new TopicOps(env.getOrDefault("DATALINE_KAFKA_BOOTSTRAP", layout.kafkaBootstrap()), System.out);
    }

    private static void dlq(TopicOps ops, String[] args) {
        if (args.length >= 2 && args[1].equals("list")) {
            ops.dlqList();
        } else if (args.length >= 3 && args[1].equals("replay")) {
            List<String> ids = new ArrayList<>();
            for (int i = 3; i < args.length; i++) {
                if (args[i].equals("--id") && i + 1 < args.length) {
                    ids.add(args[++i]);
                } else {
                    throw new LauncherException("unexpected argument " + args[i] + " (usage: dlq replay <dlq-topic> [--id partition:offset ...])");
                }
            }
            ops.dlqReplay(args[2], ids);
        } else {
            throw new LauncherException("usage: ./dataline dlq list | ./dataline dlq replay <dlq-topic> [--id partition:offset ...]");
        }
    }

    private static void outbox(OutboxOps ops, String[] args) throws java.io.IOException, InterruptedException {
        if (args.length == 2 && args[1].equals("list")) {
            ops.list();
        } else if (args.length == 4 && args[1].equals("replay")) {
            ops.replay(args[2], args[3]);
        } else {
            throw new LauncherException("usage: ./dataline outbox list | ./dataline outbox replay <service> <id>");
        }
    }

    private static void usage() {
        System.out.println("""
                Usage: ./dataline <command>

                  up [--replicas N]
                           start Kafka, PostgreSQL, every service and the console (http://127.0.0.1:8084) on this machine;
                           with N replicas of each (the further ones 20 ports up per replica) sharing N partitions per topic
                  demo     up, then commit sample customer feedback and follow it through every stage to a prediction
                  commit <dataset> <file.ndjson|file.csv> -m <message>   stage a file's records and commit them
                  log <dataset> | diff <dataset> <from> <to> | export <dataset> <hash> [--format csv|ndjson]
                  pipeline <dataset> <hash> [--follow]   what happened to a version (exit 3 when it failed or was rejected)
                    (these read DATALINE_URL, default http://127.0.0.1:8080, and DATALINE_API_KEY)
                  down     stop exactly what `up` started
                  status   show what runs and whether it is healthy
                  watch [--from-beginning]
                           every event on every pipeline topic and dead-letter topic, as one timeline (Ctrl-C stops)
                  dlq list show every dead letter: id (partition:offset), source, reason
                  dlq replay <dlq-topic> [--id partition:offset ...]
                           put dead letters (all, or the given ones) back on their source topic
                  outbox list | outbox replay <service> <id>
                           events a service parked because the broker refused them for good; replay one once fixed
                  chunks | chunks migrate <dataset> --to s3|postgres | chunks sweep [--grace PT1H]
                           where versions' chunks are (DATALINE_CHUNKS); move a dataset's, verified by hash; delete
                           objects no chunk points to (left by failed commits)
                  bench <commit-scaling|ingest|pipeline-latency|throughput|tree|restarts|accuracy|merge|console|scale|all> [--size N] [--out file.json]
                           benchmarks against the local stack (started if none runs); see BENCHMARKS.md

                Environment: DATALINE_ADMIN_KEY (admin API key, 16+ characters; generated once when unset),
                DATALINE_WEBHOOK_ENCRYPTION_KEY (base64 of 32 bytes, encrypts webhook secrets; generated once when unset),
                DATALINE_HOME (state dir, default .dataline), DATALINE_PORT_BASE (default 8080: services on 8080-8083),
                DATALINE_KAFKA_PORT (default 9092), DATALINE_POSTGRES_PORT (default 5432), DATALINE_TOPIC_PARTITIONS (default: one per replica), DATALINE_KAFKA_BOOTSTRAP (watch
                and dlq against another broker),
                APICURIO_REGISTRY_URL (use a schema registry; default: local schemas), DATALINE_JAVA_OPTS (further JVM
                options for every process `up` starts, e.g. -Xmx1g),
                DATALINE_CHUNKS=postgres|s3 with DATALINE_CHUNKS_S3_BUCKET, _ENDPOINT, _REGION (chunks in object storage;
                credentials from the AWS SDK's default chain, e.g. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).""");
    }
}
