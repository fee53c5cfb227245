package io.dataline.training;

import io.dataline.testsupport.DatasetServiceResource;
import io.dataline.testsupport.KafkaResource;
import io.dataline.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** The real infrastructure every test of this service runs on: a Kafka broker, its own database, the real dataset-service. */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = PostgresResource.DATABASE_ARG, value = "training_orchestrator"))
@WithTestResource(value = DatasetServiceResource.class, scope = TestResourceScope.GLOBAL)
public final class TestInfra {

    private TestInfra() {
    }
}
