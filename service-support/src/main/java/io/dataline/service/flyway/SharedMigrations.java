package io.dataline.service.flyway;

import io.dataline.service.SharedSettings;
import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Every service's Flyway runs its own {@code db/migration} and the shared {@code db/dataline-shared} (outbox and inbox
 * tables, versions 0.x), out of order so a new shared migration reaches databases already past it. Both are build-time
 * settings each service states ({@code quarkus.flyway.locations}, {@code quarkus.flyway.out-of-order}); this adds the
 * run-time part, {@link ReleasedChecksums} from {@code dataline.flyway.released-checksums}.
 */
@Singleton
public class SharedMigrations implements FlywayConfigurationCustomizer {

    @Inject
    SharedSettings settings;

    @Override
    public void customize(FluentConfiguration configuration) {
        ReleasedChecksums released = ReleasedChecksums.parse(settings.flyway().releasedChecksums().orElse(""));
        if (!released.isEmpty()) {
            List<Callback> callbacks = new ArrayList<>(Arrays.asList(configuration.getCallbacks()));
            callbacks.add(released);
            configuration.callbacks(callbacks.toArray(Callback[]::new));
        }
    }
}
