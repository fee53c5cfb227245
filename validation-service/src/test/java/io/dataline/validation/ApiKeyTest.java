package io.dataline.validation;

import io.dataline.testsupport.ApiKeyContract;
import io.quarkus.test.junit.QuarkusTest;

/** API keys on validation-service's reports API: issued by dataset-service, checked by introspection (the contract). */
@QuarkusTest
class ApiKeyTest extends ApiKeyContract {

    ApiKeyTest() {
        super("/reports", new String[] {"POST", "/reports/nowhere/" + "0".repeat(64) + "/rerun", null},
                slug -> "/reports/" + slug + "/" + "0".repeat(64));
    }
}
