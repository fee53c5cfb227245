package io.dataline.training.trainer;

import io.dataline.training.config.TrainingConfig;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One locked-down {@code batch/v1} Job of a run (training or predict) from start to end: created with the run's token
 * in a Secret of its own (created right after the Job, owned by it, so deleted with it: the orchestrator needs only
 * "create" on Secrets), watched until it succeeds, fails or times out (then deleted). The pod: no service-account token
 * mounted, non-root, every capability dropped, seccomp RuntimeDefault, a read-only root with a size-limited {@code /tmp}.
 */
record KubernetesJobs(KubernetesClient kube, String namespace, Duration pollInterval) {

    static final String RUN_LABEL = "dataline.io/run";
    /** The key of the upload token in the Job's Secret (named like the Job). */
    static final String TOKEN_KEY = "upload-token";

    /** Runs the Job to success; throws with the Job's reason when it fails, disappears or outlives the timeout. */
    void run(String name, UUID runId, String dataset, TrainingConfig.JobTemplate template, List<String> args, Map<String, String> values,
            String token, RunLog log) throws TrainingFailedException, InterruptedException {
        List<EnvVar> env = new ArrayList<>();
        values.forEach((key, value) -> env.add(new EnvVar("DATALINE_" + ProcessTrainer.snake(key), value, null)));
        env.add(new EnvVarBuilder().withName("DATALINE_UPLOAD_TOKEN").withNewValueFrom().withNewSecretKeyRef(TOKEN_KEY, name, false).endValueFrom()
                .build());
        Job manifest = new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                    .addToLabels(RUN_LABEL, runId.toString()).addToLabels("app.kubernetes.io/managed-by", "dataline-training-orchestrator")
                    .addToLabels("dataline.io/dataset", dataset).endMetadata()
                .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(template.timeout().toSeconds()).withTtlSecondsAfterFinished(86_400)
                    .withNewTemplate().withNewMetadata().addToLabels(RUN_LABEL, runId.toString()).endMetadata()
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
        create(manifest, name, runId, token, log);
        log.line("created Job " + namespace + "/" + name + " (image " + template.image() + ")");
        await(name, template.timeout(), log);
    }

    private void create(Job manifest, String name, UUID runId, String token, RunLog log) throws TrainingFailedException {
        try {
            Job created = kube.batch().v1().jobs().inNamespace(namespace).resource(manifest).create();
            Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).addToLabels(RUN_LABEL, runId.toString())
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job").withName(name)
                            .withUid(created.getMetadata().getUid()).build())
                    .endMetadata().withType("Opaque").addToStringData(TOKEN_KEY, token).build();
            try {
                kube.secrets().inNamespace(namespace).resource(secret).create();
            } catch (KubernetesClientException e) {
                delete(name, log);
                throw e;
            }
        } catch (KubernetesClientException e) {
            throw new TrainingFailedException("creating Job " + namespace + "/" + name + " failed: " + e.getMessage(), e);
        }
    }

    private void await(String name, Duration timeout, RunLog log) throws TrainingFailedException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Job current;
            try {
                current = kube.batch().v1().jobs().inNamespace(namespace).withName(name).get();
            } catch (KubernetesClientException e) {
                log.line("reading Job " + name + " failed (" + e.getMessage() + "); retrying");
                current = null;
            }
            if (current == null && System.nanoTime() > deadline) {
                throw new TrainingFailedException("Job " + namespace + "/" + name + " disappeared or could not be read until the timeout");
            }
            JobStatus status = current == null ? null : current.getStatus();
            if (status != null && status.getSucceeded() != null && status.getSucceeded() > 0) {
                log.line("Job " + name + " succeeded");
                return;
            }
            if (status != null && ((status.getFailed() != null && status.getFailed() > 0) || hasCondition(status, "Failed"))) {
                throw new TrainingFailedException("Job " + namespace + "/" + name + " failed" + conditionMessage(status));
            }
            if (System.nanoTime() > deadline) {
                delete(name, log);
                throw new TrainingFailedException("Job " + namespace + "/" + name + " did not finish within " + timeout + "; deleted");
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                delete(name, log); // the orchestrator stops: the next attempt creates its own Job
                throw e;
            }
        }
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

    private void delete(String name, RunLog log) {
        try {
            kube.batch().v1().jobs().inNamespace(namespace).withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            log.line("deleting Job " + name + " failed: " + e.getMessage());
        }
    }
}
