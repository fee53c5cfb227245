package io.dataline.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where the console finds the services and the broker, and how its logins behave ({@code dataline.console.*}). */
@ConfigMapping(prefix = "dataline.console")
public interface ConsoleSettings {

    String datasetServiceUrl();

    String validationServiceUrl();

    String trainingOrchestratorUrl();

    String deployServiceUrl();

    /** How long a login lasts without a request. */
    Duration sessionIdle();

    /** Whether the session cookie is {@code Secure} (true behind TLS). */
    boolean secureCookie();

    /** Refused logins from one client address within {@link #loginWindow()} before it must wait (429). */
    @WithDefault("10")
    int loginMaxFailures();

    /** The window in which refused logins are counted, and how long an address that reached the limit waits. */
    @WithDefault("5m")
    Duration loginWindow();
}
