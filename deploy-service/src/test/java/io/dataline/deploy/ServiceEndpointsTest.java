package io.dataline.deploy;

import io.dataline.testsupport.OperationalEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;

/** Covers the operational endpoints of deploy-service: health with its database check, OpenAPI, Prometheus metrics. */
@QuarkusTest
class ServiceEndpointsTest extends OperationalEndpointsContract {

    ServiceEndpointsTest() {
        super("Dataline deploy-service");
    }
}
