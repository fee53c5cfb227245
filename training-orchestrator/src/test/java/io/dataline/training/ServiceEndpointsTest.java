package io.dataline.training;

import io.dataline.testsupport.OperationalEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;

/** Covers the operational endpoints of training-orchestrator: health with its database check, OpenAPI, Prometheus metrics. */
@QuarkusTest
class ServiceEndpointsTest extends OperationalEndpointsContract {

    ServiceEndpointsTest() {
        super("Dataline training-orchestrator");
    }
}
