package io.dataline.validation.contract;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Optional;

/**
 * Scores one drift field against the parent version and adds a check per threshold the contract sets. Every
 * threshold set is checked (PSI and L∞ together when both are set). A score that cannot be computed fails its check
 * with the reason (numbers stored as strings, a field this version left empty, more distinct values than are tracked)
 * rather than passing as "not applicable"; only a missing parent, or a parent without values for the field, is
 * "not applicable".
 */
final class DriftChecks {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DriftChecks() {
    }

    static DriftResult score(ValidationRules.DriftRule rule, ParentProfile.FieldProfile now, Optional<ParentProfile.FieldProfile> before,
            boolean hasParent, List<CheckResult> checks) {
        boolean numeric = rule.maxPsi() != null
                || rule.maxLInfinity() == null && rule.maxJensenShannon() == null && now.nonNumeric == 0 && now.numberTotal > 0
                        && before.map(b -> b.nonNumeric == 0).orElse(true);
        String kind = numeric ? "numeric" : "categorical";
        if (before.isEmpty() || before.get().values == 0) {
            String note = "not applicable: " + (hasParent ? "the parent has no values for this field" : "no parent version");
            for (String check : List.of("maxLInfinity", "maxJensenShannon", "maxPsi")) {
                Double threshold = threshold(rule, check);
                if (threshold != null) {
                    checks.add(new CheckResult(check, rule.field(), true, null, JSON.numberNode(threshold), List.of(), 0, note));
                }
            }
            return new DriftResult(rule.field(), kind, null, null, null, null);
        }
        ParentProfile.FieldProfile parent = before.get();
        Score psi = numeric ? psi(now, parent) : null;
        Score lInfinity = null;
        Score jensenShannon = null;
        if (!numeric || rule.maxLInfinity() != null || rule.maxJensenShannon() != null) {
            String problem = categoricalProblem(now, parent);
            lInfinity = problem != null ? new Score(null, problem) : new Score(Drift.lInfinity(now.categories, parent.categories), null);
            jensenShannon = problem != null ? new Score(null, problem) : new Score(Drift.jensenShannon(now.categories, parent.categories), null);
        }
        check(checks, "maxLInfinity", rule, lInfinity);
        check(checks, "maxJensenShannon", rule, jensenShannon);
        check(checks, "maxPsi", rule, psi);
        DriftResult.Distribution distribution = numeric
                ? now.nonNumeric == 0 && parent.nonNumeric == 0 && now.numberTotal > 0 ? DriftResult.Distribution.numeric(now.numbers(), parent.numbers()) : null
                : now.values == 0 ? null : DriftResult.Distribution.categorical(now.categories, parent.categories);
        return new DriftResult(rule.field(), kind, value(lInfinity), value(jensenShannon), value(psi), distribution);
    }

    /** A score, or why there is none. */
    private record Score(Double value, String problem) {
    }

    private static String categoricalProblem(ParentProfile.FieldProfile now, ParentProfile.FieldProfile parent) {
        if (now.values == 0) {
            return "this version has no values for the field";
        }
        return now.overflow || parent.overflow ? "more than " + ParentProfile.MAX_CATEGORIES
                + " distinct values: too many categories to compare (use maxPsi for a numeric field)" : null;
    }

    private static Score psi(ParentProfile.FieldProfile now, ParentProfile.FieldProfile parent) {
        if (now.nonNumeric > 0 || parent.nonNumeric > 0) {
            return new Score(null, "not numbers: " + now.nonNumeric + " value(s) of this version and " + parent.nonNumeric
                    + " of the parent are not JSON numbers (numbers stored as strings?)");
        }
        if (now.numberTotal == 0) {
            return new Score(null, "this version has no values for the field");
        }
        double psi = Drift.psi(now.numbers(), parent.numbers());
        return Double.isNaN(psi) ? new Score(null, "no numbers to compare") : new Score(psi, null);
    }

    /** A check for a threshold the rule sets (a score is always computed for one: see {@link #score}). */
    private static void check(List<CheckResult> checks, String check, ValidationRules.DriftRule rule, Score score) {
        Double threshold = threshold(rule, check);
        if (threshold == null) {
            return;
        }
        if (score.value() == null) {
            checks.add(new CheckResult(check, rule.field(), false, null, JSON.numberNode(threshold), List.of(), 0, score.problem()));
        } else {
            checks.add(new CheckResult(check, rule.field(), score.value() <= threshold, JSON.numberNode(score.value()),
                    JSON.numberNode(threshold), List.of(), 0, null));
        }
    }

    private static Double threshold(ValidationRules.DriftRule rule, String check) {
        return switch (check) {
            case "maxLInfinity" -> rule.maxLInfinity();
            case "maxJensenShannon" -> rule.maxJensenShannon();
            default -> rule.maxPsi();
        };
    }

    private static Double value(Score score) {
        return score == null ? null : score.value();
    }
}
