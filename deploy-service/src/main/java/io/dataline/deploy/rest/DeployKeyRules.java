package io.dataline.deploy.rest;

import io.dataline.service.auth.ApiKeyCheck;
import io.dataline.service.rest.ApiKeyRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.regex.Pattern;

/**
 * API keys on deploy-service (checked by the shared filter): GET needs read, anything that changes state write;
 * predictions change nothing and need read. A key limited to some datasets may use only their models.
 */
@ApplicationScoped
public class DeployKeyRules implements ApiKeyRules {

    private static final Pattern PREDICT = Pattern.compile("/?models/[^/]+/staging/predict");

    /** The model a request names ({@code models/{name}/...}); models are named by their dataset's slug. */
    @Override
    public String dataset(String[] segments, ContainerRequestContext request) {
        return segments.length >= 2 && segments[0].equals("models") ? segments[1] : null;
    }

    @Override
    public String scope(String method, String path) {
        return method.equals("POST") && PREDICT.matcher(path).matches() ? "read" : ApiKeyCheck.scopeFor(method);
    }
}
