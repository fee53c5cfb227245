package io.dataline.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Runs a test class only when {@code APICURIO_REGISTRY_URL} names a schema registry; otherwise JUnit reports it as
 * skipped with the reason. {@code .ci/run} starts a registry, so CI runs these tests.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@EnabledIfEnvironmentVariable(named = Infra.REGISTRY_URL_VARIABLE, matches = ".+",
        disabledReason = "skipped: no schema registry (set APICURIO_REGISTRY_URL to an Apicurio Registry v3 API URL to run it)")
public @interface RequiresSchemaRegistry {
}
