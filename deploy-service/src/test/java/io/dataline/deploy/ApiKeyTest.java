package io.dataline.deploy;

import io.dataline.testsupport.ApiKeyContract;
import io.quarkus.test.junit.QuarkusTest;

/** API keys on deploy-service: issued by dataset-service, checked by introspection (the contract). */
@QuarkusTest
class ApiKeyTest extends ApiKeyContract {

    ApiKeyTest() {
        super("/models/nowhere/promotions", new String[] {"POST", "/models/nowhere/stages/staging/rollback", null},
                slug -> "/models/" + slug + "/promotions");
    }
}
