package io.dataline.validation;

import io.dataline.testsupport.OperationalEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;

/** Covers the operational endpoints of validation-service: health with its database check, OpenAPI, Prometheus metrics. */
@QuarkusTest
class ServiceEndpointsTest extends OperationalEndpointsContract {

    ServiceEndpointsTest() {
        super("Dataline validation-service");
    }
}
