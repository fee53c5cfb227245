package io.dataline.validation.contract;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Drift statistics between a version (actual) and its parent (expected).
 * <ul>
 * <li>L-infinity distance of two categorical distributions: the largest difference of one category's share.</li>
 * <li>Jensen-Shannon divergence with base-2 logarithms, so it lies in [0, 1]: the mean Kullback-Leibler divergence of
 * each distribution from their average.</li>
 * <li>Population stability index of a numeric field over 10 quantile bins of the parent (decile edges by the
 * nearest-rank method, equal edges merged), natural logarithm, each bin's share floored at {@value #PSI_FLOOR} so an
 * empty bin gives a large but finite value.</li>
 * </ul>
 * Nulls and missing values are not part of a distribution (the null fraction is a check of its own).
 */
public final class Drift {

    static final double PSI_FLOOR = 1e-4;
    private static final double LN2 = Math.log(2);

    private Drift() {
    }

    /** max over categories of |p(c) - q(c)|, from counts. */
    public static double lInfinity(Map<String, Long> actual, Map<String, Long> expected) {
        double[][] shares = categoryShares(actual, expected);
        double max = 0;
        for (int i = 0; i < shares[0].length; i++) {
            max = Math.max(max, Math.abs(shares[0][i] - shares[1][i]));
        }
        return max;
    }

    /** Jensen-Shannon divergence (base 2) of two categorical distributions given as counts. */
    public static double jensenShannon(Map<String, Long> actual, Map<String, Long> expected) {
        double[][] shares = categoryShares(actual, expected);
        double divergence = 0;
        for (int i = 0; i < shares[0].length; i++) {
            double p = shares[0][i];
            double q = shares[1][i];
            double m = (p + q) / 2;
            divergence += 0.5 * term(p, m) + 0.5 * term(q, m);
        }
        return Math.max(0, Math.min(1, divergence));
    }

    /** Population stability index of {@code actual} against the decile bins of {@code expected}. */
    public static double psi(double[] actual, double[] expected) {
        if (actual.length == 0 || expected.length == 0) {
            return Double.NaN;
        }
        double[] edges = decileEdges(expected);
        double[] expectedShares = shares(expected, edges);
        double[] actualShares = shares(actual, edges);
        double psi = 0;
        for (int i = 0; i < expectedShares.length; i++) {
            double e = Math.max(expectedShares[i], PSI_FLOOR);
            double a = Math.max(actualShares[i], PSI_FLOOR);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** The distinct upper edges of bins 1-9 (values at 10 %, 20 %, ... 90 % by nearest rank). */
    static double[] decileEdges(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] edges = new double[9];
        int count = 0;
        for (int decile = 1; decile <= 9; decile++) {
            int rank = (int) Math.ceil(decile / 10.0 * sorted.length); // nearest rank, 1-based
            double edge = sorted[Math.max(0, rank - 1)];
            if (count == 0 || edge > edges[count - 1]) {
                edges[count++] = edge;
            }
        }
        return Arrays.copyOf(edges, count);
    }

    /** The share of values in each bin (-inf, e1], (e1, e2], ..., (ek, +inf). */
    static double[] shares(double[] values, double[] edges) {
        double[] counts = new double[edges.length + 1];
        for (double value : values) {
            int bin = Arrays.binarySearch(edges, value);
            counts[bin >= 0 ? bin : -bin - 1]++;
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] /= values.length;
        }
        return counts;
    }

    private static double term(double p, double m) {
        return p == 0 ? 0 : p * Math.log(p / m) / LN2;
    }

    /** Each category of either distribution, its share in {@code actual} ({@code [0][i]}) and in {@code expected} ({@code [1][i]}). */
    private static double[][] categoryShares(Map<String, Long> actual, Map<String, Long> expected) {
        Set<String> categories = new HashSet<>(actual.keySet());
        categories.addAll(expected.keySet());
        double actualTotal = total(actual);
        double expectedTotal = total(expected);
        double[][] shares = new double[2][categories.size()];
        int i = 0;
        for (String category : categories) {
            shares[0][i] = actualTotal == 0 ? 0 : actual.getOrDefault(category, 0L) / actualTotal;
            shares[1][i] = expectedTotal == 0 ? 0 : expected.getOrDefault(category, 0L) / expectedTotal;
            i++;
        }
        return shares;
    }

    private static double total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
