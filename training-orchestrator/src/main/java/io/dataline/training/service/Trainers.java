package io.dataline.training.service;

import io.dataline.models.InvalidSpecException;
import io.dataline.models.TrainingSpec;
import io.dataline.training.trainer.Trainer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every {@link Trainer} bean, by name. */
@ApplicationScoped
public class Trainers {

    private final Map<String, Trainer> byName = new TreeMap<>();

    Trainers(@Any Instance<Trainer> trainers) {
        trainers.forEach(t -> byName.put(t.name(), t));
    }

    /** The back-end of this name, if this orchestrator has it. */
    public Optional<Trainer> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The back-end the spec names, after its own checks of the spec. */
    public Trainer forSpec(TrainingSpec spec) {
        Trainer trainer = byName.get(spec.trainer());
        if (trainer == null) {
            throw new InvalidSpecException(List.of("/training/trainer: unknown trainer \"" + spec.trainer() + "\" (available: " + byName.keySet() + ")"));
        }
        trainer.check(spec);
        return trainer;
    }
}
