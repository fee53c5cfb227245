package io.dataline.validation.contract;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drift scores of one field against the parent version: L-infinity and Jensen-Shannon (base 2) for categorical
 * fields, PSI for numeric ones; {@code null} where a score does not apply, all {@code null} for a first version.
 * {@code distribution} holds what was compared, for people to look at (the console's charts): {@code null} when
 * there was nothing to compare.
 */
public record DriftResult(String field, String kind, Double lInfinity, Double jensenShannon, Double psi, Distribution distribution) {

    /** Categories shown one by one; the rest are summed as {@value #OTHER}. */
    static final int MAX_SHOWN = 30;
    static final String OTHER = "(other)";

    /**
     * The share of each bin in the base version (the parent, or the head a pull request goes into) and in this
     * version: categories (the {@value #MAX_SHOWN} largest, then the rest together) or the base's decile bins.
     */
    public record Distribution(List<String> bins, List<Double> base, List<Double> current) {

        static Distribution categorical(Map<String, Long> now, Map<String, Long> before) {
            double nowTotal = now.values().stream().mapToLong(Long::longValue).sum();
            double beforeTotal = before.values().stream().mapToLong(Long::longValue).sum();
            Set<String> all = new HashSet<>(now.keySet());
            all.addAll(before.keySet());
            List<String> ordered = new ArrayList<>(all);
            ordered.sort(Comparator.comparingDouble((String c) -> -Math.max(share(now, c, nowTotal), share(before, c, beforeTotal)))
                    .thenComparing(Comparator.naturalOrder()));
            List<String> bins = new ArrayList<>();
            List<Double> base = new ArrayList<>();
            List<Double> current = new ArrayList<>();
            double otherBase = 0;
            double otherNow = 0;
            for (int i = 0; i < ordered.size(); i++) {
                String category = ordered.get(i);
                if (i < MAX_SHOWN) {
                    bins.add(category);
                    base.add(share(before, category, beforeTotal));
                    current.add(share(now, category, nowTotal));
                } else {
                    otherBase += share(before, category, beforeTotal);
                    otherNow += share(now, category, nowTotal);
                }
            }
            if (ordered.size() > MAX_SHOWN) {
                bins.add(OTHER);
                base.add(otherBase);
                current.add(otherNow);
            }
            return new Distribution(bins, base, current);
        }

        /** Both versions over the base's decile bins, as PSI compares them. */
        static Distribution numeric(double[] now, double[] before) {
            double[] edges = Drift.decileEdges(before);
            List<String> bins = new ArrayList<>();
            for (int i = 0; i <= edges.length; i++) {
                bins.add(i == 0 ? "≤ " + number(edges[0]) : i == edges.length ? "> " + number(edges[i - 1])
                        : "(" + number(edges[i - 1]) + ", " + number(edges[i]) + "]");
            }
            return new Distribution(bins, list(Drift.shares(before, edges)), list(Drift.shares(now, edges)));
        }

        private static double share(Map<String, Long> counts, String category, double total) {
            return total == 0 ? 0 : counts.getOrDefault(category, 0L) / total;
        }

        private static List<Double> list(double[] values) {
            List<Double> list = new ArrayList<>(values.length);
            for (double value : values) {
                list.add(value);
            }
            return list;
        }

        private static String number(double value) {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : String.format("%.4g", value);
        }
    }
}
