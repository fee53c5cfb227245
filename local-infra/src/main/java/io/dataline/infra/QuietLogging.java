package io.dataline.infra;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the embedded broker's and PostgreSQL's chatter at WARN. Kafka and zonky log through SLF4J, which ends in
 * java.util.logging (the JBoss LogManager under Quarkus, the JDK's in the launcher); the loggers are held here so
 * their levels are not garbage-collected away.
 */
final class QuietLogging {

    private static final List<Logger> QUIETED = List.of(
            Logger.getLogger("kafka"),
            Logger.getLogger("org.apache.kafka"),
            Logger.getLogger("state.change.logger"),
            Logger.getLogger("io.zonky.test.db.postgres"));

    private QuietLogging() {
    }

    static void apply() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}
