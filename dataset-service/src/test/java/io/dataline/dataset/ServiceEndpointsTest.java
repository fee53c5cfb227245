package io.dataline.dataset;

import io.dataline.testsupport.OperationalEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;

/** Covers the operational endpoints of dataset-service: health (open) with its database check, OpenAPI and Prometheus metrics (with a key). */
@QuarkusTest
class ServiceEndpointsTest extends OperationalEndpointsContract {

    ServiceEndpointsTest() {
        super("Dataline dataset-service", Api.ADMIN_KEY);
    }
}
