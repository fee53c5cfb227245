package io.dataline.service.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.service.DatasetServiceUnavailableException;
import io.dataline.service.UnprocessableEventException;
import jakarta.persistence.PersistenceException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** Covers the one classification of consumer failures: what can pass later, what never can, and what is unknown. */
class FailuresTest {

    @Test
    void shouldCallWhatCanPassLaterTransient() {
        assertThat(Failures.classify(new DatasetServiceUnavailableException("dataset-service is unreachable", new ConnectException())))
                .isEqualTo(Failures.Kind.TRANSIENT);
        assertThat(Failures.classify(new JDBCConnectionException("connection refused", new SQLException("refused", "08001"))))
                .isEqualTo(Failures.Kind.TRANSIENT);
        assertThat(Failures.classify(new PersistenceException("tx", new SQLException("could not serialize access", "40001"))))
                .isEqualTo(Failures.Kind.TRANSIENT);
        assertThat(Failures.classify(new PersistenceException("tx", new SQLException("terminating connection due to administrator command", "57P01"))))
                .isEqualTo(Failures.Kind.TRANSIENT);
        assertThat(Failures.classify(new SQLTransientConnectionException("pool exhausted"))).isEqualTo(Failures.Kind.TRANSIENT);
        assertThat(Failures.classify(new IllegalStateException("EntityManagerFactory is closed"))).isEqualTo(Failures.Kind.TRANSIENT);
        assertThat(Failures.classify(new RuntimeException(new NotLeaderOrFollowerException("moving")))).isEqualTo(Failures.Kind.TRANSIENT);
    }

    @Test
    void shouldCallWhatNamesNothingPermanentEvenWhenWrapped() {
        assertThat(Failures.classify(new RuntimeException(new UnprocessableEventException("version abc does not exist"))))
                .isEqualTo(Failures.Kind.PERMANENT);
    }

    @Test
    void shouldCallTheRestUnknown() {
        assertThat(Failures.classify(new NullPointerException())).isEqualTo(Failures.Kind.UNKNOWN);
        assertThat(Failures.classify(new PersistenceException("constraint", new SQLException("duplicate key", "23505"))))
                .isEqualTo(Failures.Kind.UNKNOWN);
        assertThat(Failures.classify(new RecordTooLargeException("too large"))).isEqualTo(Failures.Kind.UNKNOWN);
    }
}
