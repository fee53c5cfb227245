package io.dataline.deploy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * What the kubernetes deployer's tests share, the cluster side on fabric8's mock server (the subclass adds
 * {@code @WithKubernetesTestServer(crud = true)} and a profile from {@link #deployer}): a model's serving Deployment
 * in the namespace {@value #NAMESPACE}, the version its pod template names, the test playing the Deployment
 * controller; and the topics the events go through.
 */
abstract class ServingDeploymentTest {

    static final String NAMESPACE = "serving";

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    TopicClient topics;

    /** The deployer switched on for {@code {model}-serving} in {@value #NAMESPACE}. */
    static Map<String, String> deployer(String rolloutTimeout, String pollInterval) {
        return Map.of("dataline.deployers.kubernetes.deployment", "{model}-serving", "dataline.deployers.kubernetes.namespace", NAMESPACE,
                "dataline.deployers.kubernetes.rollout-timeout", rolloutTimeout, "dataline.deployers.kubernetes.poll-interval", pollInterval);
    }

    /** Creates the serving Deployment of a model, labelled as a model server, and returns its name. */
    String create(String model) {
        return create(model, true);
    }

    /** Creates the serving Deployment of a model, with or without the label that lets deploy-service change it. */
    String create(String model, boolean labelled) {
        String name = model + "-serving";
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .addToLabels(labelled ? Map.of("dataline.io/serving", "true") : Map.of()).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("registry.example.com/model-server:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
        server.getClient().apps().deployments().inNamespace(NAMESPACE).resource(deployment).create();
        return name;
    }

    Deployment current(String name) {
        return server.getClient().apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    }

    /** The model version the pod template names, or null. */
    String templateVersion(String name) {
        Deployment d = current(name);
        Map<String, String> annotations = d.getSpec().getTemplate().getMetadata() == null ? null : d.getSpec().getTemplate().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("dataline.io/model-version");
    }

    /** Plays the controller: the rollout of the current template is complete (or, with {@code done} false, not yet). */
    void rollout(String name, boolean done) {
        Deployment d = current(name);
        d.setStatus(done ? new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(1).withUpdatedReplicas(1)
                .withAvailableReplicas(1).build() : new DeploymentStatusBuilder().withReplicas(1).withUpdatedReplicas(0).withAvailableReplicas(0).build());
        server.getClient().apps().deployments().inNamespace(NAMESPACE).resource(d).updateStatus();
    }
}
