package io.dataline.validation;

import io.dataline.testsupport.ApiKeyContract;
import io.quarkus.test.junit.QuarkusTest;

/** API keys on validation-service's reports API: issued by dataset-service, checked by introspection (the contract). */
@QuarkusTest
class ApiKeyTest extends ApiKeyContract {

    @Override
    protected String readPath() {
        return "/reports";
    }

    @Override
    protected String[] writeRequest() {
        return new String[] {"POST", "/reports/nowhere/" + "0".repeat(64) + "/rerun", null};
    }

    @Override
    protected String datasetPath(String slug) {
        return "/reports/" + slug + "/" + "0".repeat(64);
    }
}
