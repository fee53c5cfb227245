package io.dataline.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5));

    @Test
    void shouldMakeAnAddressWaitOnceItReachedTheLimitUntilTheWindowHasPassed() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.wait("10.0.0.1", T0.plusSeconds(i))).isZero();
            throttle.refused("10.0.0.1", T0.plusSeconds(i));
        }
        assertThat(throttle.wait("10.0.0.1", T0.plusSeconds(60))).isEqualTo(Duration.ofMinutes(4));
        assertThat(throttle.wait("10.0.0.2", T0.plusSeconds(60))).as("other addresses are not held up").isZero();
        assertThat(throttle.wait("10.0.0.1", T0.plus(Duration.ofMinutes(5)))).isZero();
        throttle.refused("10.0.0.1", T0.plus(Duration.ofMinutes(5)));
        assertThat(throttle.wait("10.0.0.1", T0.plus(Duration.ofMinutes(5)))).as("a new window starts from one refusal").isZero();
    }

    @Test
    void shouldForgetAnAddressThatLoggedIn() {
        throttle.refused("10.0.0.3", T0);
        throttle.refused("10.0.0.3", T0);
        throttle.accepted("10.0.0.3");
        throttle.refused("10.0.0.3", T0);
        throttle.refused("10.0.0.3", T0);
        assertThat(throttle.wait("10.0.0.3", T0)).isZero();
        throttle.refused("10.0.0.3", T0);
        assertThat(throttle.wait("10.0.0.3", T0)).isPositive();
    }

    @Test
    void shouldRememberABoundedNumberOfAddresses() {
        for (int i = 0; i < LoginThrottle.ADDRESSES + 1; i++) {
            throttle.refused("address-" + i, T0);
        }
        for (int i = 0; i < 3; i++) {
            throttle.refused("address-last", T0);
        }
        assertThat(throttle.wait("address-last", T0)).isPositive();
        assertThat(throttle.remembered()).isLessThanOrEqualTo(LoginThrottle.ADDRESSES);
    }
}
