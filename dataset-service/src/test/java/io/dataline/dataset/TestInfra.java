package io.dataline.dataset;

import io.dataline.testsupport.KafkaResource;
import io.dataline.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * The real infrastructure every test of this service runs on: a Kafka broker and this service's own database, and with
 * {@code -Dtestsupport.chunks=s3} an S3 API server that keeps the chunks.
 */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = PostgresResource.DATABASE_ARG, value = "dataset_service"))
@WithTestResource(value = S3Resource.class, scope = TestResourceScope.GLOBAL)
public final class TestInfra {

    private TestInfra() {
    }
}
