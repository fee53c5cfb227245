package io.dataline.console.board;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.console.api.Api;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.List;

/**
 * One commit on the board: its version and message, and where its pipeline stands in five steps (committed →
 * validated → training → registered → promoted), from dataset-service's view of the version's pipeline. A stage that
 * stopped it is {@code failed} with the reason and a link to the page that explains it.
 */
@TemplateData
public record Row(String id, String datasetSlug, String dataset, String version, String shortVersion, String branch, String message,
        String author, String committedAt, List<Step> steps, String outcome, String reason, String reasonLink) {

    /** done | active (happening now) | failed | waiting | skipped (the pipeline does not go there). */
    @TemplateData
    public record Step(String name, String state, String label, String link) {
    }

    static final List<String> STEPS = List.of("committed", "validated", "training", "registered", "promoted");

    /** The row of a version from its {@code GET /datasets/{d}/versions/{v}/pipeline} view. */
    static Row of(String slug, JsonNode lineage) {
        String version = lineage.path("dataVersion").asText();
        String base = "/datasets/" + Api.segment(slug) + "/versions/" + Api.segment(version);
        JsonNode committed = stage(lineage, "committed");
        JsonNode validation = stage(lineage, "validation");
        JsonNode training = stage(lineage, "training");
        JsonNode registered = stage(lineage, "registered");
        JsonNode promotion = stage(lineage, "promotion");
        if (promotion == null) {
            promotion = stage(lineage, "candidate");
        }
        String outcome = lineage.path("outcome").isTextual() ? lineage.path("outcome").asText() : "running";
        boolean over = !"running".equals(outcome);
        String model = registered != null ? registered.path("detail").path("model").asText()
                : training != null ? training.path("detail").path("model").asText() : null;
        String modelLink = model == null ? null : "/models/" + Api.segment(model);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("committed", committed != null ? "done" : "active", "committed", base));
        steps.add(step("validated", validation, base + "/validation", over));
        steps.add(step("training", training, modelLink, over));
        steps.add(step("registered", registered, registered == null ? modelLink
                : modelLink + "/versions/" + registered.path("detail").path("modelVersion").asInt(), over));
        steps.add(step("promoted", promotion, modelLink, over));
        if ("validated".equals(outcome)) { // no training section in the dataset's pipeline: it ends at validation
            for (int i = 2; i < steps.size(); i++) {
                steps.set(i, new Step(steps.get(i).name(), "skipped", "not in this pipeline", null));
            }
        }
        markActive(steps, over);
        String reason = null;
        String reasonLink = null;
        for (Step step : steps) {
            if (step.state().equals("failed")) {
                reason = reason(step.name(), lineage);
                reasonLink = step.link();
                break;
            }
        }
        JsonNode detail = committed == null ? null : committed.path("detail");
        return new Row(slug + ":" + version, slug, lineage.path("dataset").asText(slug), version, version.substring(0, Math.min(12, version.length())),
                lineage.path("branch").asText("main"), detail == null ? "" : detail.path("message").asText(""),
                detail == null ? "" : detail.path("author").asText(""), committed == null ? "" : committed.path("at").asText(""), steps,
                outcome, reason, reasonLink);
    }

    private static Step step(String name, JsonNode stage, String link, boolean over) {
        if (stage == null) {
            return new Step(name, over ? "skipped" : "waiting", over ? "not reached" : "waiting", null);
        }
        String status = stage.path("status").asText();
        String state = switch (status) {
            case "failed", "rejected" -> "failed";
            case "running" -> "active";
            default -> "done";
        };
        String label = switch (stage.path("stage").asText()) {
            case "candidate" -> "candidate " + status;
            case "registered" -> "v" + stage.path("detail").path("modelVersion").asInt();
            case "promotion" -> status + " v" + stage.path("detail").path("modelVersion").asInt();
            default -> status;
        };
        return new Step(name, state, label, link);
    }

    /** The first step still waiting, right after the last one done, is where the pipeline is now. */
    private static void markActive(List<Step> steps, boolean over) {
        if (over) {
            return;
        }
        for (int i = 1; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.state().equals("waiting") && !steps.get(i - 1).state().equals("waiting")) {
                steps.set(i, new Step(step.name(), "active", "in progress", step.link()));
                return;
            }
        }
    }

    private static String reason(String step, JsonNode lineage) {
        for (JsonNode stage : lineage.path("stages")) {
            String status = stage.path("status").asText();
            if (status.equals("failed") || status.equals("rejected")) {
                JsonNode detail = stage.path("detail");
                if (detail.path("reason").isTextual()) {
                    return detail.path("reason").asText();
                }
                List<String> checks = new ArrayList<>();
                detail.path("failedChecks").forEach(c -> checks.add(c.path("check").asText()
                        + (c.path("field").isTextual() ? " (" + c.path("field").asText() + ")" : "")));
                if (!checks.isEmpty()) {
                    return "failed checks: " + String.join(", ", checks);
                }
                List<String> gates = new ArrayList<>();
                detail.path("gates").forEach(g -> {
                    if (!g.path("passed").asBoolean(true)) {
                        gates.add(g.path("metric").asText() + " " + g.path("rule").asText() + " " + g.path("threshold").asText());
                    }
                });
                return gates.isEmpty() ? step + " " + status : "gates not met: " + String.join(", ", gates);
            }
        }
        return step + " stopped";
    }

    private static JsonNode stage(JsonNode lineage, String name) {
        JsonNode found = null;
        for (JsonNode stage : lineage.path("stages")) {
            if (stage.path("stage").asText().equals(name)) {
                found = stage; // the latest of its kind (a retried run shows its last state)
            }
        }
        return found;
    }

    /** Whether the row already shows what an event of this topic says happened (so a re-read is current). */
    boolean reflects(String topic) {
        return switch (topic) {
            case "dataset.committed" -> settled("committed");
            case "dataset.validated", "dataset.validation-failed" -> settled("validated");
            case "training.run-started" -> !state("training").equals("waiting") && !label("training").equals("in progress");
            case "training.run-failed" -> state("training").equals("failed");
            case "model.registered" -> settled("registered");
            default -> settled("promoted");
        };
    }

    private boolean settled(String step) {
        return List.of("done", "failed", "skipped").contains(state(step));
    }

    private String state(String step) {
        return steps.stream().filter(s -> s.name().equals(step)).findFirst().map(Step::state).orElse("waiting");
    }

    private String label(String step) {
        return steps.stream().filter(s -> s.name().equals(step)).findFirst().map(Step::label).orElse("");
    }
}
