package io.dataline.validation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Settings of validation-service ({@code dataline.*}); the shared ones (dataset-service URL and key, relay, auth) are
 * read by service-support.
 */
@ConfigMapping(prefix = "dataline")
public interface ValidationConfig {

    /** The URL under which this service's reports are reachable, for the links in events. */
    @WithDefault("http://127.0.0.1:8081")
    String publicUrl();

    /** The build's test-infrastructure switch ({@code -Ddataline.infra=containers}); not used by the service. */
    Optional<String> infra();

    /** With containers: which images the tests run on ({@code -Ddataline.images=local}); not used by the service. */
    Optional<String> images();
}
