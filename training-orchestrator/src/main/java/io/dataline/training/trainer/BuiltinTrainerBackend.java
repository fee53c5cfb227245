package io.dataline.training.trainer;

import io.dataline.models.BuiltinModel;
import io.dataline.models.BuiltinTrainer;
import io.dataline.models.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code trainer: builtin}: logistic regression in this JVM (Tribuo); the orchestrator evaluates the model itself. */
@ApplicationScoped
public class BuiltinTrainerBackend implements Trainer {

    @Override
    public String name() {
        return BuiltinTrainer.NAME;
    }

    @Override
    public void check(TrainingSpec spec) {
        BuiltinTrainer.checkParams(spec);
    }

    @Override
    public TrainerOutput train(TrainingJob job) throws TrainingFailedException {
        java.util.List<com.fasterxml.jackson.databind.JsonNode> records = job.training();
        job.log().line("training logistic regression on " + records.size() + " records");
        BuiltinModel model;
        try {
            model = BuiltinTrainer.train(job.spec(), records);
        } catch (IllegalArgumentException e) {
            throw new TrainingFailedException(e.getMessage(), e);
        }
        Path artifact = job.outDir().resolve("model.zip");
        try {
            Files.createDirectories(job.outDir());
            try (OutputStream out = Files.newOutputStream(artifact)) {
                model.write(out);
            }
        } catch (IOException e) {
            throw new TrainingFailedException("writing the model failed: " + e.getMessage(), e);
        }
        job.log().line("trained; labels " + model.labels());
        return TrainerOutput.builtin(artifact, model);
    }
}
