package io.dataline.deploy.serving;

import io.dataline.models.BuiltinModel;
import java.util.Optional;

/**
 * A version ready to take the stage: its artifact downloaded and verified, and, for built-in models, loaded and
 * smoke-checked ({@code model} present: served by this service); other formats are only deployed to Kubernetes.
 */
public record Prepared(String model, int version, String dataVersion, String format, String artifactUri, String artifactSha256,
        Optional<BuiltinModel> loaded) {
}
