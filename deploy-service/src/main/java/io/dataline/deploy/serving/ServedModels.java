package io.dataline.deploy.serving;

import io.dataline.models.BuiltinModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models this service serves, one per model name: the version in staging, fully loaded. A promotion replaces the
 * entry in one step, so a request sees either the old model or the new one, never a half-loaded one.
 */
@ApplicationScoped
public class ServedModels {

    /** What answers predictions for a model. */
    public record Served(int version, String dataVersion, BuiltinModel model) {
    }

    private final Map<String, Served> served = new ConcurrentHashMap<>();

    public Optional<Served> get(String model) {
        return Optional.ofNullable(served.get(model));
    }

    /** Serves a restored model unless a promotion got there first. */
    public void swapIfAbsent(Prepared prepared) {
        prepared.loaded().ifPresent(model -> served.putIfAbsent(prepared.model(), new Served(prepared.version(), prepared.dataVersion(), model)));
    }

    /** Forgets every model (a fresh process's state; for tests of the restore path). */
    public void clear() {
        served.clear();
    }

    public void swap(Prepared prepared) {
        if (prepared.loaded().isPresent()) {
            served.put(prepared.model(), new Served(prepared.version(), prepared.dataVersion(), prepared.loaded().get()));
        } else {
            served.remove(prepared.model());
        }
    }
}
