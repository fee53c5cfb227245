package io.dataline.deploy.serving;

import io.dataline.models.BuiltinModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models this service serves, one per model name: the version in staging, fully loaded. A promotion replaces the
 * entry in one step, so a request sees either the old model or the new one, never a half-loaded one. Swaps are
 * ordered by the alias move they follow (the audit row's id): a swap for an older move never replaces a newer one.
 */
@ApplicationScoped
public class ServedModels {

    /** What answers predictions for a model. */
    public record Served(int version, String dataVersion, BuiltinModel model) {
    }

    private final Map<String, Served> served = new ConcurrentHashMap<>();
    private final Map<String, Long> moves = new ConcurrentHashMap<>();

    public Optional<Served> get(String model) {
        return Optional.ofNullable(served.get(model));
    }

    /** Forgets every model (a fresh process's state; for tests of the restore path). */
    public void clear() {
        served.clear();
        moves.clear();
    }

    /** Serves what alias move number {@code move} put in staging, unless a later move's model is served already. */
    public void swap(Prepared prepared, long move) {
        synchronized (served) {
            if (moves.getOrDefault(prepared.model(), Long.MIN_VALUE) > move) {
                return;
            }
            moves.put(prepared.model(), move);
            if (prepared.loaded().isPresent()) {
                served.put(prepared.model(), new Served(prepared.version(), prepared.dataVersion(), prepared.loaded().get()));
            } else {
                served.remove(prepared.model());
            }
        }
    }
}
