package io.dataline.training.rest;

import io.dataline.service.auth.ApiKeyCheck;
import io.dataline.service.rest.ApiKeyRules;
import io.dataline.training.TrainingRunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API keys on training-orchestrator (checked by the shared filter): GET needs read, anything that changes state write;
 * comparing two versions changes nothing and needs read. A remote trainer's uploads ({@code PUT /runs/{id}/outputs/...})
 * and reads of its inputs ({@code GET /runs/{id}/inputs/...}) carry their run's own token instead, checked by the
 * resource. A key limited to some datasets may use only their runs
 * and models, and must name one when it lists; {@code POST /runs} names its dataset in the body, checked by the resource.
 */
@ApplicationScoped
public class TrainingKeyRules implements ApiKeyRules {

    private static final Pattern UPLOAD = Pattern.compile("/?runs/[^/]+/outputs/[^/]+");
    private static final Pattern INPUT = Pattern.compile("/?runs/[^/]+/inputs/[^/]+");
    private static final Pattern COMPARE = Pattern.compile("/?models/[^/]+/versions/[^/]+/compare");

    @Inject
    TrainingRunRepository runs;

    /** The dataset or model a request names: {@code models/{name}}, {@code runs?dataset=}, or the dataset of {@code runs/{id}}. */
    @Override
    public String dataset(String[] segments, ContainerRequestContext request) {
        if (segments.length >= 2 && segments[0].equals("models")) {
            return segments[1];
        }
        if (segments.length >= 2 && segments[0].equals("runs")) {
            try {
                UUID id = UUID.fromString(segments[1]);
                return QuarkusTransaction.requiringNew().call(() -> runs.findByIdOptional(id).map(r -> r.datasetSlug).orElse(""));
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return request.getUriInfo().getQueryParameters().getFirst("dataset");
    }

    @Override
    public String scope(String method, String path) {
        return method.equals("POST") && COMPARE.matcher(path).matches() ? "read" : ApiKeyCheck.scopeFor(method);
    }

    @Override
    public boolean exempt(String method, String path) {
        return method.equals("PUT") && UPLOAD.matcher(path).matches() || method.equals("GET") && INPUT.matcher(path).matches();
    }

    @Override
    public boolean datasetCheckedByResource(String method, String path) {
        return method.equals("POST") && path.replaceAll("^/+", "").equals("runs");
    }
}
