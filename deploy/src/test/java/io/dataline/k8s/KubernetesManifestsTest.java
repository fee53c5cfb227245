package io.dataline.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.events.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests, rendered per overlay and checked for what would only fail in a cluster: every topic of
 * {@code events} and every DLQ the services configure has a KafkaTopic of the cluster; every Secret and ConfigMap a
 * pod references exists (or is one the operator or Strimzi provides, listed in {@code external-secrets.txt}), with
 * the keys referenced; every Service's target port is a named port of the pods it selects; probes use the management
 * port (health and metrics never share the API's port);
 * service accounts and roles exist; the services run as non-root with a read-only root filesystem and health probes;
 * in prod, every service has a Kafka user whose ACLs name only existing topics.
 */
class KubernetesManifestsTest {

    static final List<String> SERVICES = List.of("dataset-service", "validation-service", "training-orchestrator", "deploy-service", "console");

    private static <T extends HasMetadata> List<T> all(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<GenericKubernetesResource> custom(List<HasMetadata> resources, String kind) {
        return resources.stream().filter(r -> r instanceof GenericKubernetesResource && kind.equals(r.getKind()))
                .map(GenericKubernetesResource.class::cast).toList();
    }

    private static Map<String, PodTemplateSpec> podTemplates(List<HasMetadata> resources) {
        Map<String, PodTemplateSpec> templates = new HashMap<>();
        all(resources, Deployment.class).forEach(d -> templates.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        all(resources, StatefulSet.class).forEach(s -> templates.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
        return templates;
    }

    static Set<String> dlqTopics() throws IOException {
        Set<String> topics = new HashSet<>();
        Pattern dlq = Pattern.compile("^mp\\.messaging\\.incoming\\.[^.]+\\.dead-letter-queue\\.topic=(.+)$", Pattern.MULTILINE);
        for (String service : SERVICES) {
            Matcher m = dlq.matcher(Files.readString(Manifests.ROOT.resolve(service).resolve("src/main/resources/application.properties")));
            while (m.find()) {
                topics.add(m.group(1).trim());
            }
        }
        return topics;
    }

    /** Secret name → its keys, for the Secrets the operator or Strimzi creates (prod). */
    static Map<String, Set<String>> externalSecrets(String overlay) throws IOException {
        Map<String, Set<String>> secrets = new HashMap<>();
        Path file = Manifests.K8S.resolve("overlays").resolve(overlay).resolve("external-secrets.txt");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.trim().split("\\s+");
                    secrets.put(parts[0], Set.of(parts).stream().filter(p -> !p.equals(parts[0])).collect(java.util.stream.Collectors.toSet()));
                }
            }
        }
        return secrets;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldHaveAKafkaTopicForEveryTopicAndDeadLetterTopic(String overlay) throws Exception {
        List<HasMetadata> resources = Manifests.render(overlay);
        List<GenericKubernetesResource> topics = custom(resources, "KafkaTopic");
        String cluster = custom(resources, "Kafka").get(0).getMetadata().getName();
        Set<String> names = new HashSet<>();
        for (GenericKubernetesResource topic : topics) {
            names.add((String) ((Map<?, ?>) topic.getAdditionalProperties().get("spec")).get("topicName"));
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster);
        }
        assertThat(names).containsAll(Topics.ALL).containsAll(dlqTopics());
        assertThat(custom(resources, "KafkaNodePool")).allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldDefineEverySecretAndConfigMapThePodsReference(String overlay) throws Exception {
        List<HasMetadata> resources = Manifests.render(overlay);
        Map<String, Set<String>> secrets = externalSecrets(overlay);
        all(resources, Secret.class).forEach(s -> {
            Set<String> keys = new HashSet<>();
            if (s.getData() != null) {
                keys.addAll(s.getData().keySet());
            }
            if (s.getStringData() != null) {
                keys.addAll(s.getStringData().keySet());
            }
            secrets.put(s.getMetadata().getName(), keys);
        });
        custom(resources, "KafkaUser").forEach(u -> secrets.put(u.getMetadata().getName(), Set.of("user.p12", "user.password", "user.crt", "user.key")));
        Set<String> configMaps = new HashSet<>();
        resources.stream().filter(r -> r.getKind().equals("ConfigMap")).forEach(c -> configMaps.add(c.getMetadata().getName()));

        List<String> missing = new ArrayList<>();
        podTemplates(resources).forEach((owner, template) -> {
            PodSpec pod = template.getSpec();
            for (Container c : pod.getContainers()) {
                if (c.getEnv() != null) {
                    c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null).forEach(e -> {
                        var ref = e.getValueFrom().getSecretKeyRef();
                        if (!secrets.containsKey(ref.getName()) || !secrets.get(ref.getName()).contains(ref.getKey())) {
                            missing.add(owner + ": secret " + ref.getName() + " key " + ref.getKey());
                        }
                    });
                }
                if (c.getEnvFrom() != null) {
                    c.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null && !configMaps.contains(e.getConfigMapRef().getName()))
                            .forEach(e -> missing.add(owner + ": configmap " + e.getConfigMapRef().getName()));
                }
            }
            if (pod.getVolumes() != null) {
                pod.getVolumes().forEach(v -> {
                    if (v.getSecret() != null && !secrets.containsKey(v.getSecret().getSecretName())) {
                        missing.add(owner + ": secret volume " + v.getSecret().getSecretName());
                    }
                    if (v.getConfigMap() != null && !configMaps.contains(v.getConfigMap().getName())) {
                        missing.add(owner + ": configmap volume " + v.getConfigMap().getName());
                    }
                });
            }
        });
        assertThat(missing).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldMatchServicesToNamedPortsOfThePodsTheySelect(String overlay) throws Exception {
        List<HasMetadata> resources = Manifests.render(overlay);
        Map<String, PodTemplateSpec> templates = podTemplates(resources);
        for (Service service : all(resources, Service.class)) {
            List<PodTemplateSpec> selected = templates.values().stream()
                    .filter(t -> t.getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet())).toList();
            assertThat(selected).as("pods selected by Service %s", service.getMetadata().getName()).isNotEmpty();
            for (ServicePort port : service.getSpec().getPorts()) {
                for (PodTemplateSpec t : selected) {
                    List<String> names = t.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream()).map(ContainerPort::getName).toList();
                    assertThat(names).as("Service %s targets port %s", service.getMetadata().getName(), port.getTargetPort().getStrVal())
                            .contains(port.getTargetPort().getStrVal());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldRunTheServicesLockedDownWithHealthProbesAndAccounts(String overlay) throws Exception {
        List<HasMetadata> resources = Manifests.render(overlay);
        Set<String> accounts = new HashSet<>();
        resources.stream().filter(r -> r.getKind().equals("ServiceAccount")).forEach(a -> accounts.add(a.getMetadata().getName()));
        Set<String> roles = new HashSet<>();
        resources.stream().filter(r -> r.getKind().equals("Role")).forEach(r -> roles.add(r.getMetadata().getName()));
        for (String name : SERVICES) {
            Deployment deployment = all(resources, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management")
                    .isIn(c.getPorts().stream().map(ContainerPort::getName).toList());
            assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(accounts).contains(pod.getServiceAccountName());
            assertThat(c.getImage()).startsWith("dataline/" + name + ":");
        }
        for (RoleBinding binding : all(resources, RoleBinding.class)) {
            assertThat(roles).contains(binding.getRoleRef().getName());
            binding.getSubjects().forEach(s -> assertThat(accounts).contains(s.getName()));
        }
        assertThat(resources.stream().filter(r -> r.getKind().equals("NetworkPolicy")).map(r -> r.getMetadata().getName()))
                .contains("default-deny-ingress");
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod"})
    void shouldGiveEachServiceAKafkaUserLimitedToItsTopics(String overlay) throws Exception {
        List<HasMetadata> resources = Manifests.render(overlay);
        Set<String> topics = new HashSet<>();
        custom(resources, "KafkaTopic").forEach(t -> topics.add((String) ((Map<?, ?>) t.getAdditionalProperties().get("spec")).get("topicName")));
        Map<String, GenericKubernetesResource> users = new HashMap<>();
        custom(resources, "KafkaUser").forEach(u -> users.put(u.getMetadata().getName(), u));

        assertThat(users).containsOnlyKeys(SERVICES);
        for (GenericKubernetesResource user : users.values()) {
            Map<?, ?> spec = (Map<?, ?>) user.getAdditionalProperties().get("spec");
            assertThat(((Map<?, ?>) spec.get("authentication")).get("type")).isEqualTo("tls");
            List<?> acls = (List<?>) ((Map<?, ?>) spec.get("authorization")).get("acls");
            Stream<String> named = acls.stream().map(a -> (Map<?, ?>) ((Map<?, ?>) a).get("resource"))
                    .filter(r -> "topic".equals(r.get("type"))).map(r -> (String) r.get("name"));
            assertThat(named.toList()).isNotEmpty().allSatisfy(t -> assertThat(topics).contains(t));
        }
        Map<?, ?> kafka = (Map<?, ?>) ((Map<?, ?>) custom(resources, "Kafka").get(0).getAdditionalProperties().get("spec")).get("kafka");
        assertThat(kafka.get("listeners").toString()).contains("tls=true").contains("authentication={type=tls}").doesNotContain("tls=false");
    }

    /**
     * Prod keeps chunks in a bucket the operator's Secret names (dev: in PostgreSQL, the default), through the very
     * variables dataset-service reads.
     */
    @Test
    void shouldKeepProdChunksInTheBucketItsSecretNames() throws Exception {
        String properties = Files.readString(Manifests.ROOT.resolve("dataset-service/src/main/resources/application.properties"));
        for (String overlay : List.of("dev", "prod")) {
            List<HasMetadata> resources = Manifests.render(overlay);
            Map<String, String> config = all(resources, io.fabric8.kubernetes.api.model.ConfigMap.class).stream()
                    .filter(c -> c.getMetadata().getName().equals("dataset-service-config")).findFirst().orElseThrow().getData();
            Container container = podTemplates(resources).get("dataset-service").getSpec().getContainers().get(0);
            Map<String, String> fromSecrets = new HashMap<>();
            (container.getEnv() == null ? List.<io.fabric8.kubernetes.api.model.EnvVar>of() : container.getEnv()).stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .forEach(e -> fromSecrets.put(e.getName(), e.getValueFrom().getSecretKeyRef().getName()));
            if (overlay.equals("dev")) {
                assertThat(config).doesNotContainKey("DATALINE_CHUNKS");
                assertThat(fromSecrets).doesNotContainKey("DATALINE_CHUNKS_S3_BUCKET");
            } else {
                assertThat(config).containsEntry("DATALINE_CHUNKS", "s3");
                assertThat(fromSecrets).containsEntry("DATALINE_CHUNKS_S3_BUCKET", "dataline-chunks-s3")
                        .containsEntry("DATALINE_CHUNKS_S3_REGION", "dataline-chunks-s3").containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
                for (String variable : List.of("DATALINE_CHUNKS", "DATALINE_CHUNKS_S3_BUCKET", "DATALINE_CHUNKS_S3_ENDPOINT", "DATALINE_CHUNKS_S3_REGION")) {
                    assertThat(properties).contains("${" + variable + ":");
                }
            }
        }
    }

    /** RBAC cannot select by label; the cluster kustomization's admission policy keeps deploy-service to serving Deployments. */
    @Test
    void shouldKeepDeployServiceToLabelledServingDeployments() throws Exception {
        List<HasMetadata> cluster = Manifests.renderDirectory(Manifests.K8S.resolve("cluster"));
        com.fasterxml.jackson.databind.JsonNode policy = cluster.stream().filter(r -> r.getKind().equals("ValidatingAdmissionPolicy"))
                .map(r -> io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().<com.fasterxml.jackson.databind.JsonNode>valueToTree(r))
                .findFirst().orElseThrow();
        HasMetadata binding = cluster.stream().filter(r -> r.getKind().equals("ValidatingAdmissionPolicyBinding")).findFirst().orElseThrow();
        com.fasterxml.jackson.databind.JsonNode bindingSpec = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().valueToTree(binding)
                .path("spec");

        assertThat(cluster).allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).as("cluster-scoped " + r.getKind()).isNull());
        assertThat(bindingSpec.path("policyName").asText()).isEqualTo(policy.path("metadata").path("name").asText());
        assertThat(bindingSpec.path("validationActions").toString()).contains("Deny");
        assertThat(policy.path("spec").path("matchConditions").toString()).contains(":deploy-service");
        assertThat(policy.path("spec").path("validations").toString()).contains("oldObject.metadata.labels[?'dataline.io/serving']")
                .contains("request.operation == 'UPDATE'");
        for (String overlay : List.of("dev", "prod")) {
            io.fabric8.kubernetes.api.model.rbac.Role rollouts = all(Manifests.render(overlay), io.fabric8.kubernetes.api.model.rbac.Role.class)
                    .stream().filter(r -> r.getMetadata().getName().equals("dataline-model-rollouts")).findFirst().orElseThrow();
            assertThat(rollouts.getRules()).allSatisfy(rule -> assertThat(rule.getVerbs()).doesNotContain("create", "delete", "*"));
        }
    }

    /**
     * Trainer Jobs run in a namespace of their own, under the restricted Pod Security Standard, as an account that
     * nothing binds and whose token is not mounted; the orchestrator may run Jobs there (and only there), and the
     * trainers reach nothing but the orchestrator's API, which alone accepts them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldRunTrainersInANamespaceOfTheirOwnWithoutRights(String overlay) throws Exception {
        List<HasMetadata> resources = Manifests.render(overlay);
        io.fabric8.kubernetes.api.model.ServiceAccount trainer = all(resources, io.fabric8.kubernetes.api.model.ServiceAccount.class).stream()
                .filter(a -> a.getMetadata().getName().equals("dataline-trainer")).findFirst().orElseThrow();
        String trainers = trainer.getMetadata().getNamespace();
        Deployment orchestrator = all(resources, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("training-orchestrator"))
                .findFirst().orElseThrow();
        String services = orchestrator.getMetadata().getNamespace();

        assertThat(trainers).isNotNull().isNotEqualTo(services);
        assertThat(trainer.getAutomountServiceAccountToken()).isFalse();
        assertThat(all(resources, io.fabric8.kubernetes.api.model.Namespace.class)).filteredOn(n -> n.getMetadata().getName().equals(trainers))
                .singleElement().satisfies(n -> assertThat(n.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted"));
        assertThat(all(resources, RoleBinding.class))
                .allSatisfy(b -> assertThat(b.getSubjects()).noneMatch(s -> s.getName().equals("dataline-trainer")));
        all(resources, io.fabric8.kubernetes.api.model.ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("training-orchestrator-config"))
                .forEach(c -> assertThat(c.getData()).containsEntry("DATALINE_TRAINERS_KUBERNETES_NAMESPACE", trainers));
        // the Job rights exist only in the trainers' namespace, bound to the orchestrator's account in the services' one
        assertThat(all(resources, io.fabric8.kubernetes.api.model.rbac.Role.class)).filteredOn(r -> r.getRules().stream()
                .anyMatch(rule -> rule.getResources().contains("jobs"))).singleElement().satisfies(r -> assertThat(r.getMetadata().getNamespace())
                        .isEqualTo(trainers));
        assertThat(all(resources, RoleBinding.class)).filteredOn(b -> b.getRoleRef().getName().equals("dataline-trainer-jobs")).singleElement()
                .satisfies(b -> {
                    assertThat(b.getMetadata().getNamespace()).isEqualTo(trainers);
                    assertThat(b.getSubjects()).singleElement().satisfies(s -> {
                        assertThat(s.getName()).isEqualTo("training-orchestrator");
                        assertThat(s.getNamespace()).isEqualTo(services);
                    });
                });
        List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy> policies = all(resources,
                io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
        assertThat(policies).filteredOn(p -> trainers.equals(p.getMetadata().getNamespace())).singleElement().satisfies(p -> {
            assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(p.getSpec().getIngress()).isNullOrEmpty();
            assertThat(p.getSpec().getEgress().get(0).getTo()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", services);
                assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "training-orchestrator");
            });
        });
        assertThat(policies).filteredOn(p -> services.equals(p.getMetadata().getNamespace()))
                .flatExtracting(p -> p.getSpec().getIngress() == null ? List.of() : p.getSpec().getIngress())
                .flatExtracting(rule -> rule.getFrom() == null ? List.of() : rule.getFrom())
                .filteredOn(peer -> peer.getNamespaceSelector() != null && peer.getNamespaceSelector().getMatchLabels() != null
                        && trainers.equals(peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name")))
                .singleElement();
    }
}
