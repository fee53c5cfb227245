package io.dataline.deploy;

import io.dataline.testsupport.ApiKeyContract;
import io.quarkus.test.junit.QuarkusTest;

/** API keys on deploy-service: issued by dataset-service, checked by introspection (the contract). */
@QuarkusTest
class ApiKeyTest extends ApiKeyContract {

    @Override
    protected String readPath() {
        return "/models/nowhere/promotions";
    }

    @Override
    protected String[] writeRequest() {
        return new String[] {"POST", "/models/nowhere/stages/staging/rollback", null};
    }

    @Override
    protected String datasetPath(String slug) {
        return "/models/" + slug + "/promotions";
    }
}
