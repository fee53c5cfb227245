package io.dataline.service.messaging;

import io.dataline.service.DatasetServiceUnavailableException;
import io.dataline.service.UnprocessableEventException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The one classification of a consumer's failures, shared by every service.
 * <ul>
 * <li>{@link Kind#PERMANENT}: the message can never succeed ({@link UnprocessableEventException}: it names a dataset,
 * version or revision that does not exist). Dead-lettered at once.</li>
 * <li>{@link Kind#TRANSIENT}: something this service depends on is away and can come back: dataset-service or another
 * service unreachable or answering 5xx ({@link DatasetServiceUnavailableException}), the database unreachable,
 * restarting, out of connections or rolling back a serialization conflict or deadlock (SQLSTATE classes 08, 40, 53,
 * 57, 58; JDBC's transient and recoverable exceptions), broker errors Kafka marks retriable, I/O and time-outs, and
 * the persistence layer closed under a stopping service. Retried with back-off for as long as it takes; never
 * dead-lettered.</li>
 * <li>{@link Kind#UNKNOWN}: anything else (most likely a defect). Retried a few times, then dead-lettered with its
 * reason, so that one message does not hold its partition for ever and can be replayed once the defect is fixed.</li>
 * </ul>
 * The whole cause chain is read: the first cause that is permanent or transient decides.
 */
public final class Failures {

    /** What a failure says about the message that caused it. */
    public enum Kind {
        PERMANENT, TRANSIENT, UNKNOWN
    }

    private static final Set<String> TRANSIENT_SQL_STATE_CLASSES = Set.of("08", "40", "53", "57", "58");

    private static final Set<String> TRANSIENT_PERSISTENCE_EXCEPTIONS = Set.of(
            "org.hibernate.exception.JDBCConnectionException",
            "org.hibernate.exception.LockAcquisitionException",
            "org.hibernate.PessimisticLockException",
            "org.hibernate.QueryTimeoutException",
            "jakarta.persistence.LockTimeoutException",
            "jakarta.persistence.PessimisticLockException",
            "jakarta.persistence.QueryTimeoutException",
            "jakarta.persistence.OptimisticLockException",
            "org.hibernate.StaleObjectStateException");

    private Failures() {
    }

    public static Kind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnprocessableEventException) {
                return Kind.PERMANENT;
            }
            if (isTransient(t)) {
                return Kind.TRANSIENT;
            }
        }
        return Kind.UNKNOWN;
    }

    private static boolean isTransient(Throwable t) {
        if (t instanceof DatasetServiceUnavailableException || t instanceof SQLTransientException
                || t instanceof SQLRecoverableException || t instanceof RetriableException
                || t instanceof IOException || t instanceof TimeoutException || t instanceof InterruptedException) {
            return true;
        }
        if ((t instanceof IllegalStateException || t instanceof SQLException) && t.getMessage() != null && t.getMessage().contains("is closed")) {
            return true; // Hibernate's "EntityManagerFactory is closed", Agroal's "This pool is closed": a service stopping
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2) {
            return TRANSIENT_SQL_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2));
        }
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (TRANSIENT_PERSISTENCE_EXCEPTIONS.contains(c.getName())) {
                return true;
            }
        }
        return false;
    }
}
