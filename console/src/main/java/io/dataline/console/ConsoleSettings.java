package io.dataline.console;

import io.smallrye.config.ConfigMapping;
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
}
