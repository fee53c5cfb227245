package io.dataline.testsupport;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * In modules that set {@code testsupport.api-key} (the services whose API checks keys against dataset-service),
 * every RestAssured request of a Quarkus test that names no {@code Authorization} itself carries that key, as an
 * operator's would.
 */
public class ApiKeyForRestAssured implements QuarkusTestBeforeEachCallback {

    private static volatile boolean installed;

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        String key = System.getProperty("testsupport.api-key", "");
        if (key.isBlank() || installed) {
            return;
        }
        synchronized (ApiKeyForRestAssured.class) {
            if (!installed) {
                Filter filter = (request, response, ctx) -> {
                    if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                        request.header("Authorization", "Bearer " + key);
                    }
                    return ctx.next(request, response);
                };
                RestAssured.filters(filter);
                installed = true;
            }
        }
    }
}
