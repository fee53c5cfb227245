package io.dataline.training;

import io.dataline.testsupport.ApiKeyContract;
import io.quarkus.test.junit.QuarkusTest;

/** API keys on training-orchestrator: issued by dataset-service, checked by introspection (the contract). */
@QuarkusTest
class ApiKeyTest extends ApiKeyContract {

    ApiKeyTest() {
        super("/runs", new String[] {"POST", "/runs", "{\"dataset\": \"nowhere\", \"dataVersion\": \"" + "0".repeat(64) + "\"}"},
                slug -> "/models/" + slug + "/versions");
    }
}
