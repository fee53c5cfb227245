package io.dataline.console.auth;

import io.dataline.console.ConsoleSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refused logins per client address: after {@code dataline.console.login-max-failures} refusals within
 * {@code dataline.console.login-window}, that address gets 429 until the window has passed, without its guesses
 * reaching dataset-service. A successful login clears the address. At most {@value #ADDRESSES} addresses are
 * remembered (the longest unused forgotten first), so a flood from many addresses cannot grow memory without bound.
 */
@ApplicationScoped
public class LoginThrottle {

    static final int ADDRESSES = 10_000;

    /** Refusals of one address since the window opened. */
    private static final class Refusals {
        int count;
        Instant since;
    }

    private final int maxFailures;
    private final Duration window;
    private final Map<String, Refusals> byAddress = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Refusals> eldest) {
            return size() > ADDRESSES;
        }
    };

    @Inject
    LoginThrottle(ConsoleSettings settings) {
        this(settings.loginMaxFailures(), settings.loginWindow());
    }

    LoginThrottle(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.window = window;
    }

    /** How long {@code address} must wait before its next try; zero when it may try now. */
    public synchronized Duration wait(String address, Instant now) {
        Refusals refusals = byAddress.get(address);
        if (refusals == null) {
            return Duration.ZERO;
        }
        Instant reopens = refusals.since.plus(window);
        if (!now.isBefore(reopens)) {
            byAddress.remove(address);
            return Duration.ZERO;
        }
        return refusals.count >= maxFailures ? Duration.between(now, reopens) : Duration.ZERO;
    }

    public synchronized void refused(String address, Instant now) {
        Refusals refusals = byAddress.computeIfAbsent(address, a -> new Refusals());
        if (refusals.since == null || !now.isBefore(refusals.since.plus(window))) {
            refusals.count = 0;
            refusals.since = now;
        }
        refusals.count++;
    }

    public synchronized void accepted(String address) {
        byAddress.remove(address);
    }

    synchronized int remembered() {
        return byAddress.size();
    }
}
