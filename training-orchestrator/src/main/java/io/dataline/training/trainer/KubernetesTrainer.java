package io.dataline.training.trainer;

import io.dataline.models.InvalidSpecException;
import io.dataline.models.TrainingSpec;
import io.dataline.training.config.TrainingConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code trainer: kubernetes}: creates a {@code batch/v1} Job from an operator-configured image template
 * ({@code dataline.trainers.kubernetes.templates.<template>.*}), with the run's values as placeholders in the arguments
 * and as {@code DATALINE_*} environment variables: {@code {dataUrl} {dataVersion} {dataset} {runId} {uploadUrl}}. The
 * pod reads the version's records from {@code dataUrl} (with {@code DATALINE_API_KEY} from the template's Secret),
 * trains, and uploads {@code metrics.json} and its model file with {@code PUT {uploadUrl}/<name>} and the run's token
 * ({@code DATALINE_UPLOAD_TOKEN}, valid for this run only, from a Secret of the attempt's own that the Job owns). The
 * orchestrator watches the Job to completion, then reads the uploads like a process trainer's output. A Job that fails
 * or times out fails the run; a timed-out Job is deleted. The pod is locked down: no service-account token mounted,
 * non-root, every capability dropped, seccomp RuntimeDefault, a read-only root with a size-limited {@code /tmp}.
 */
@ApplicationScoped
public class KubernetesTrainer implements Trainer {

    static final String RUN_LABEL = "dataline.io/run";
    /** The key of the upload token in the attempt's Secret (named like its Job, owned by it). */
    static final String TOKEN_KEY = "upload-token";

    @Inject
    TrainingConfig config;

    @Inject
    Instance<KubernetesClient> client;

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public void check(TrainingSpec spec) {
        var templates = config.trainers().kubernetes().templates();
        if (spec.template() == null || !templates.containsKey(spec.template())) {
            throw new InvalidSpecException(List.of("/training/template: no kubernetes template \"" + spec.template() + "\" is configured (configured: "
                    + templates.keySet().stream().sorted().toList() + ")"));
        }
    }

    /**
     * The name of one attempt's Job (DNS-1123, at most 63 characters): a retried attempt creates a Job of its own
     * instead of failing on the first attempt's name.
     */
    public static String jobName(java.util.UUID runId, int attempt) {
        return "dataline-train-" + runId.toString().replace("-", "").substring(0, 20) + "-a" + attempt;
    }

    @Override
    public TrainerOutput train(TrainingJob job) throws TrainingFailedException, InterruptedException {
        check(job.spec());
        TrainingConfig.JobTemplate template = config.trainers().kubernetes().templates().get(job.spec().template());
        KubernetesClient kube = client.get();
        String namespace = config.trainers().kubernetes().namespace().orElse(kube.getNamespace());
        Map<String, String> values = new LinkedHashMap<>();
        values.put("dataUrl", job.dataUrl());
        values.put("dataVersion", job.dataVersion());
        values.put("dataset", job.datasetSlug());
        values.put("runId", job.runId().toString());
        values.put("uploadUrl", job.uploadUrl());
        List<String> args = new ArrayList<>();
        try {
            for (String arg : template.args().orElse(List.of())) {
                args.add(ExternalOutputs.substitute(arg, values));
            }
        } catch (IllegalArgumentException e) {
            throw new TrainingFailedException("kubernetes template \"" + job.spec().template() + "\" is misconfigured: " + e.getMessage(), e);
        }
        List<EnvVar> env = new ArrayList<>();
        values.forEach((name, value) -> env.add(new EnvVar("DATALINE_" + ProcessTrainer.snake(name), value, null)));
        String name = jobName(job.runId(), job.attempt());
        env.add(new EnvVarBuilder().withName("DATALINE_UPLOAD_TOKEN").withNewValueFrom().withNewSecretKeyRef(TOKEN_KEY, name, false).endValueFrom()
                .build());
        env.add(new EnvVar("DATALINE_PARAMS", job.spec().params().toString(), null));
        env.add(new EnvVar("DATALINE_SPEC", job.spec().toJson().toString(), null));
        template.apiKeySecret().ifPresent(secret -> env.add(new EnvVarBuilder().withName("DATALINE_API_KEY")
                .withNewValueFrom().withNewSecretKeyRef("api-key", secret, false).endValueFrom().build()));
        Job manifest = new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                    .addToLabels(RUN_LABEL, job.runId().toString()).addToLabels("app.kubernetes.io/managed-by", "dataline-training-orchestrator")
                    .addToLabels("dataline.io/dataset", job.datasetSlug()).endMetadata()
                .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(template.timeout().toSeconds()).withTtlSecondsAfterFinished(86_400)
                    .withNewTemplate().withNewMetadata().addToLabels(RUN_LABEL, job.runId().toString()).endMetadata()
                        .withNewSpec().withRestartPolicy("Never").withServiceAccountName(template.serviceAccount().orElse(null))
                            .withAutomountServiceAccountToken(false)
                            .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity(template.tmpSize())).endEmptyDir().endVolume()
                            .addNewContainer().withName("trainer").withImage(template.image()).withArgs(args).withEnv(env)
                                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                                .withNewResources().addToRequests("cpu", new Quantity(template.cpu())).addToRequests("memory", new Quantity(template.memory()))
                                    .addToLimits("memory", new Quantity(template.memory())).endResources()
                                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                                    .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec().build();
        try {
            Job created = kube.batch().v1().jobs().inNamespace(namespace).resource(manifest).create();
            // the token's Secret is created after its Job, owned by it (deleted with it): the orchestrator needs only
            // "create" on Secrets, never "get"; the pod waits for the Secret
            Secret token = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).addToLabels(RUN_LABEL, job.runId().toString())
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job").withName(name)
                            .withUid(created.getMetadata().getUid()).build())
                    .endMetadata().withType("Opaque").addToStringData(TOKEN_KEY, job.uploadToken()).build();
            try {
                kube.secrets().inNamespace(namespace).resource(token).create();
            } catch (KubernetesClientException e) {
                delete(kube, namespace, name, job);
                throw e;
            }
        } catch (KubernetesClientException e) {
            throw new TrainingFailedException("creating Job " + namespace + "/" + name + " failed: " + e.getMessage(), e);
        }
        job.log().line("created Job " + namespace + "/" + name + " (image " + template.image() + ")");
        long deadline = System.nanoTime() + template.timeout().toNanos();
        while (true) {
            Job current;
            try {
                current = kube.batch().v1().jobs().inNamespace(namespace).withName(name).get();
            } catch (KubernetesClientException e) {
                job.log().line("reading Job " + name + " failed (" + e.getMessage() + "); retrying");
                current = null;
            }
            if (current == null && System.nanoTime() > deadline) {
                throw new TrainingFailedException("Job " + namespace + "/" + name + " disappeared or could not be read until the timeout");
            }
            JobStatus status = current == null ? null : current.getStatus();
            if (status != null && status.getSucceeded() != null && status.getSucceeded() > 0) {
                job.log().line("Job " + name + " succeeded");
                break;
            }
            if (status != null && ((status.getFailed() != null && status.getFailed() > 0) || hasCondition(status, "Failed"))) {
                throw new TrainingFailedException("Job " + namespace + "/" + name + " failed" + conditionMessage(status));
            }
            if (System.nanoTime() > deadline) {
                delete(kube, namespace, name, job);
                throw new TrainingFailedException("Job " + namespace + "/" + name + " did not finish within " + template.timeout() + "; deleted");
            }
            try {
                Thread.sleep(config.trainers().kubernetes().pollInterval().toMillis());
            } catch (InterruptedException e) {
                delete(kube, namespace, name, job); // the orchestrator stops: the next attempt creates its own Job
                throw e;
            }
        }
        return ExternalOutputs.collect(job.outDir());
    }

    private static boolean hasCondition(JobStatus status, String type) {
        return status.getConditions() != null && status.getConditions().stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String conditionMessage(JobStatus status) {
        if (status.getConditions() == null) {
            return "";
        }
        return status.getConditions().stream().filter(c -> "Failed".equals(c.getType()) && c.getMessage() != null)
                .map(c -> ": " + c.getReason() + " " + c.getMessage()).findFirst().orElse("");
    }

    private static void delete(KubernetesClient kube, String namespace, String name, TrainingJob job) {
        try {
            kube.batch().v1().jobs().inNamespace(namespace).withName(name).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            job.log().line("deleting Job " + name + " failed: " + e.getMessage());
        }
    }
}
