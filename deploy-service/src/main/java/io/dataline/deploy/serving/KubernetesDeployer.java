package io.dataline.deploy.serving;

import io.dataline.deploy.config.DeployConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The kubernetes deployer (on when {@code dataline.deployers.kubernetes.deployment} is set): patches the model's
 * serving Deployment, setting annotations on its pod template and {@code DATALINE_MODEL_URI},
 * {@code DATALINE_MODEL_VERSION}, {@code DATALINE_MODEL_SHA256} on its container, then waits until the rollout is
 * complete (observed generation caught up, every replica updated and available). A rollout that does not complete
 * within the timeout refuses the promotion, and the pod template is put back as it was.
 * <p>
 * It changes only what is meant for it: the Deployment's name (the configured pattern with the model's name) must be
 * a valid Kubernetes name, and the Deployment must carry the label {@value #SERVING_LABEL}{@code =true}; anything else
 * is refused without a write. The cluster enforces the same (deploy/k8s: a ValidatingAdmissionPolicy), since RBAC
 * cannot select by label.
 */
@ApplicationScoped
public class KubernetesDeployer {

    static final String VERSION_ANNOTATION = "dataline.io/model-version";
    /** The label that marks a Deployment as a model server deploy-service may change. */
    public static final String SERVING_LABEL = "dataline.io/serving";
    private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final DeployConfig.Kubernetes config;
    private final Instance<KubernetesClient> client;

    KubernetesDeployer(DeployConfig config, Instance<KubernetesClient> client) {
        this.config = config.deployers().kubernetes();
        this.client = client;
    }

    public boolean enabled() {
        return config.deployment().isPresent();
    }

    /** The serving Deployment's name for a model; refused unless it is a valid Kubernetes name (RFC 1123 label). */
    public String deploymentName(String model) throws PromotionRefusedException {
        String name = config.deployment().orElseThrow().replace("{model}", model);
        if (!DNS_LABEL.matcher(name).matches()) {
            throw new PromotionRefusedException("\"" + name + "\" (for model \"" + model + "\") is not a valid Deployment name: at most 63 "
                    + "lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        return name;
    }

    /** A completed rollout, which can be put back (its alias move failed). */
    public interface Rollout {
        /** Puts the pod template back as it was before this rollout (best effort; does not wait for that rollout). */
        void undo();
    }

    /**
     * The model version the serving Deployment's pod template names (its {@value #VERSION_ANNOTATION} annotation), empty
     * when the Deployment names none or does not exist.
     */
    public java.util.Optional<Integer> templateVersion(String model) throws PromotionRefusedException {
        KubernetesClient kube = client.get();
        Deployment deployment = kube.apps().deployments().inNamespace(config.namespace().orElse(kube.getNamespace())).withName(deploymentName(model))
                .get();
        if (deployment == null || deployment.getSpec().getTemplate().getMetadata() == null
                || deployment.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
            return java.util.Optional.empty();
        }
        String version = deployment.getSpec().getTemplate().getMetadata().getAnnotations().get(VERSION_ANNOTATION);
        try {
            return version == null ? java.util.Optional.empty() : java.util.Optional.of(Integer.parseInt(version));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    public Rollout deploy(Prepared prepared) throws PromotionRefusedException, InterruptedException {
        KubernetesClient kube = client.get();
        String namespace = config.namespace().orElse(kube.getNamespace());
        String name = deploymentName(prepared.model());
        var resource = kube.apps().deployments().inNamespace(namespace).withName(name);
        Deployment patched;
        Deployment before;
        try {
            before = resource.get();
            if (before == null) {
                throw new PromotionRefusedException("Deployment " + namespace + "/" + name + " does not exist");
            }
            if (before.getMetadata().getLabels() == null || !"true".equals(before.getMetadata().getLabels().get(SERVING_LABEL))) {
                throw new PromotionRefusedException("Deployment " + namespace + "/" + name + " is not labelled " + SERVING_LABEL
                        + "=true; deploy-service changes only Deployments labelled as model servers");
            }
            patched = resource.edit(d -> {
                if (d.getSpec().getTemplate().getMetadata() == null) {
                    d.getSpec().getTemplate().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
                }
                if (d.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
                    d.getSpec().getTemplate().getMetadata().setAnnotations(new java.util.HashMap<>());
                }
                d.getSpec().getTemplate().getMetadata().getAnnotations().putAll(Map.of(VERSION_ANNOTATION, Integer.toString(prepared.version()),
                        "dataline.io/model-sha256", prepared.artifactSha256(), "dataline.io/data-version", prepared.dataVersion()));
                Container container = d.getSpec().getTemplate().getSpec().getContainers().stream()
                        .filter(c -> config.container().map(c.getName()::equals).orElse(true)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no container " + config.container().orElse("") + " in " + name));
                List<EnvVar> env = new ArrayList<>(container.getEnv() == null ? List.of() : container.getEnv());
                env.removeIf(e -> e.getName().startsWith("DATALINE_MODEL_"));
                env.add(new EnvVar("DATALINE_MODEL_URI", prepared.artifactUri(), null));
                env.add(new EnvVar("DATALINE_MODEL_VERSION", Integer.toString(prepared.version()), null));
                env.add(new EnvVar("DATALINE_MODEL_SHA256", prepared.artifactSha256(), null));
                container.setEnv(env);
                return d;
            });
        } catch (KubernetesClientException | IllegalStateException e) {
            throw new PromotionRefusedException("patching Deployment " + namespace + "/" + name + " failed: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + config.rolloutTimeout().toNanos();
        long generation = patched.getMetadata().getGeneration() == null ? 0 : patched.getMetadata().getGeneration();
        while (true) {
            Deployment current = resource.get();
            if (current != null && rolledOut(current, generation)) {
                Deployment previous = before;
                return () -> restore(resource, previous);
            }
            if (System.nanoTime() > deadline) {
                restore(resource, before);
                throw new PromotionRefusedException("the rollout of Deployment " + namespace + "/" + name + " did not complete within "
                        + config.rolloutTimeout());
            }
            Thread.sleep(config.pollInterval().toMillis());
        }
    }

    /** Puts the pod template back as it was before a rollout that did not complete (best effort). */
    private static void restore(io.fabric8.kubernetes.client.dsl.RollableScalableResource<Deployment> resource, Deployment before) {
        try {
            resource.edit(d -> {
                d.getSpec().setTemplate(before.getSpec().getTemplate());
                return d;
            });
        } catch (KubernetesClientException e) {
            org.jboss.logging.Logger.getLogger(KubernetesDeployer.class).warnf("could not restore %s after a failed rollout: %s",
                    before.getMetadata().getName(), e.getMessage());
        }
    }

    static boolean rolledOut(Deployment deployment, long generation) {
        DeploymentStatus status = deployment.getStatus();
        if (status == null) {
            return false;
        }
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
        return observed >= generation && Objects.equals(status.getUpdatedReplicas(), replicas)
                && Objects.equals(status.getAvailableReplicas(), replicas);
    }
}
