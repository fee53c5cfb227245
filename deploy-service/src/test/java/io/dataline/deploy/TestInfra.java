package io.dataline.deploy;

import io.dataline.testsupport.DatasetServiceResource;
import io.dataline.testsupport.KafkaResource;
import io.dataline.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * The infrastructure every test of this service runs on: a real Kafka broker, its own real database, the real
 * dataset-service, and training-orchestrator's registry API served by {@link RegistryStub}.
 */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = PostgresResource.DATABASE_ARG, value = "deploy_service"))
@WithTestResource(value = DatasetServiceResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
public final class TestInfra {

    private TestInfra() {
    }
}
