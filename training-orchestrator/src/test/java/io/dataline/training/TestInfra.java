package io.dataline.training;

import io.dataline.testsupport.KafkaResource;
import io.dataline.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** The real infrastructure every test of this service runs on: a Kafka broker and this service's own database. */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = PostgresResource.DATABASE_ARG, value = "training_orchestrator"))
public final class TestInfra {

    private TestInfra() {
    }
}
