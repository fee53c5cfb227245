package io.dataline.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An overlay of {@code deploy/k8s} rendered by {@code kubectl kustomize} (kubectl 1.27+ on the PATH: the one
 * prerequisite of these tests) and loaded with the fabric8 Kubernetes model; CRDs (Strimzi) load as generic resources.
 */
final class Manifests {

    static final Path ROOT = Path.of(System.getenv().getOrDefault("DATALINE_ROOT", "..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");

    private Manifests() {
    }

    static List<HasMetadata> render(String overlay) throws IOException, InterruptedException {
        return renderDirectory(K8S.resolve("overlays").resolve(overlay));
    }

    /** Any kustomization under {@code deploy/k8s}, e.g. {@code cluster}. */
    static List<HasMetadata> renderDirectory(Path kustomization) throws IOException, InterruptedException {
        String overlay = K8S.relativize(kustomization).toString();
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", kustomization.toString()).start();
        } catch (IOException e) {
            throw new IllegalStateException("these tests need kubectl on the PATH (apt-get install -y kubectl): " + e.getMessage(), e);
        }
        String yaml = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(2, TimeUnit.MINUTES) || kubectl.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + overlay + " failed: " + errors);
        }
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : yaml.split("(?m)^---$")) {
            if (!document.isBlank()) {
                resources.add(Serialization.unmarshal(document, HasMetadata.class));
            }
        }
        return resources;
    }
}
