package io.dataline.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Entry point of {@code ./dataline}: runs Dataline on this machine with nothing but a JDK.
 * <ul>
 * <li>{@code up}: starts Kafka and PostgreSQL (embedded, state under {@code .dataline/}) and every service on its fixed
 * port, returns once all are healthy.</li>
 * <li>{@code down}: stops exactly what {@code up} started.</li>
 * <li>{@code status}: what runs and whether it is healthy (exit code 0 only when everything is).</li>
 * </ul>
 * {@code infra} is internal: the background process that hosts Kafka and PostgreSQL.
 */
public final class Dataline {

    private Dataline() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "help" : args[0];
        Map<String, String> env = System.getenv();
        Path root = Path.of(env.getOrDefault("DATALINE_ROOT", ".")).toAbsolutePath().normalize();
        try {
            StackLayout layout = StackLayout.from(root, env);
            LocalStack stack = new LocalStack(layout, env, System.out);
            switch (command) {
                case "up" -> stack.up();
                case "down" -> stack.down();
                case "status" -> System.exit(stack.status() ? 0 : 3);
                case LocalStack.INFRA -> InfrastructureProcess.run(layout);
                case "help", "-h", "--help" -> usage();
                default -> {
                    System.err.println("unknown command: " + command);
                    usage();
                    System.exit(2);
                }
            }
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

    private static void usage() {
        System.out.println("""
                Usage: ./dataline <command>

                  up       start Kafka, PostgreSQL and every service on this machine; returns when all are healthy
                  down     stop exactly what `up` started
                  status   show what runs and whether it is healthy

                Environment: DATALINE_ADMIN_KEY (admin API key, 16+ characters; generated once when unset),
                DATALINE_HOME (state dir, default .dataline), DATALINE_PORT_BASE (default 8080: services on 8080-8083),
                DATALINE_KAFKA_PORT (default 9092), DATALINE_POSTGRES_PORT (default 5432),
                APICURIO_REGISTRY_URL (use a schema registry; default: local schemas).""");
    }
}
