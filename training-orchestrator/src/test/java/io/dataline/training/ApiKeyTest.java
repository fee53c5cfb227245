package io.dataline.training;

import io.dataline.testsupport.ApiKeyContract;
import io.quarkus.test.junit.QuarkusTest;

/** API keys on training-orchestrator: issued by dataset-service, checked by introspection (the contract). */
@QuarkusTest
class ApiKeyTest extends ApiKeyContract {

    @Override
    protected String readPath() {
        return "/runs";
    }

    @Override
    protected String[] writeRequest() {
        return new String[] {"POST", "/runs", "{\"dataset\": \"nowhere\", \"dataVersion\": \"" + "0".repeat(64) + "\"}"};
    }

    @Override
    protected String datasetPath(String slug) {
        return "/models/" + slug + "/versions";
    }
}
