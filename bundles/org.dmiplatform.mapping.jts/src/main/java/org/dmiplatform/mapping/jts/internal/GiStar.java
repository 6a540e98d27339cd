package org.dmiplatform.mapping.jts.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Getis-Ord Gi* with binary weights, each unit its own neighbour, as R spdep's {@code localG} computes it with
 * {@code include.self}: with {@code x̄} the mean and {@code s² = Σ(x − x̄)²/n}, {@code W_i} the number of neighbours
 * plus one, {@code z_i = (Σ_{j∈N(i)∪{i}} x_j − W_i·x̄) / √(s²·(n·W_i − W_i²)/(n − 1))}.
 *
 * <p>Conditional permutations: unit i keeps its own value, and its {@code W_i − 1} neighbours' values are drawn
 * without replacement from the other n − 1 values. Units with the same own value and neighbour count share one set of
 * draws (as PySAL's {@code crand} shares one set for all units), so 999 permutations cost little more than the
 * analytic z. The pseudo p-value is two-sided, as the analytic one it stands in for (and as spdep's
 * {@code localG_perm}): {@code min(1, 2 · (1 + #draws on the far side of the observed sum) / (permutations + 1))}, so
 * the smallest it can be is {@code 2 / (permutations + 1)}. Being conditional, it judges the neighbours only: a lone
 * busy cell among quiet ones has a large analytic z but an unremarkable pseudo p-value.
 */
final class GiStar {
    private GiStar() {}

    /** z-scores; NaN everywhere when every value is the same (no variance). */
    static double[] z(double[] x, Neighbours nb) {
        int n = x.length;
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : x) {
            double d = v - mean;
            ss += d * d;
        }
        double s2 = ss / n;
        double[] z = new double[n];
        int[] start = nb.start;
        int[] ids = nb.ids;
        for (int i = 0; i < n; i++) {
            double lag = x[i];
            for (int k = start[i]; k < start[i + 1]; k++) {
                lag += x[ids[k]];
            }
            double w = start[i + 1] - start[i] + 1;
            double variance = s2 * (n * w - w * w) / (n - 1);
            z[i] = (lag - w * mean) / Math.sqrt(variance);
        }
        return z;
    }

    /** Two-sided p-values of z under the normal distribution. */
    static double[] pNormal(double[] z) {
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Double.isFinite(z[i]) ? Math.min(1, 2 * Normal.upperTail(Math.abs(z[i]))) : 1;
        }
        return p;
    }

    /** Folded pseudo p-values from conditional permutations. */
    static double[] pPermuted(double[] x, Neighbours nb, int permutations, long seed) {
        int n = x.length;
        double[] p = new double[n];
        if (n < 3) {
            Arrays.fill(p, 1);
            return p;
        }
        // one instance of each value, to leave out when drawing for a unit of that value
        Map<Double, Integer> positionOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
            positionOf.putIfAbsent(x[i], i);
        }
        Map<Long, double[]> draws = new HashMap<>();
        Map<Double, Integer> valueIds = new HashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        int[] chosen = new int[64];
        for (int i = 0; i < n; i++) {
            int k = nb.count(i);
            if (k == 0) {
                p[i] = 1;
                continue;
            }
            int valueId = valueIds.computeIfAbsent(x[i], v -> valueIds.size());
            long key = ((long) valueId << 20) | k;
            double[] sums = draws.get(key);
            if (sums == null) {
                sums = draw(x, positionOf.get(x[i]), k, permutations, random, chosen);
                draws.put(key, sums);
            }
            double lag = 0;
            for (int j = nb.start[i]; j < nb.start[i + 1]; j++) {
                lag += x[nb.ids[j]];
            }
            p[i] = twoSided(sums, lag);
        }
        return p;
    }

    /** Sorted sums of k values drawn without replacement from x, leaving out position {@code skip}. */
    private static double[] draw(double[] x, int skip, int k, int permutations, SplittableRandom random, int[] chosen) {
        int n = x.length;
        int[] picks = chosen.length >= k ? chosen : new int[k];
        double[] sums = new double[permutations];
        for (int s = 0; s < permutations; s++) {
            double sum = 0;
            for (int m = 0; m < k; m++) {
                int r;
                boolean again;
                do {
                    r = random.nextInt(n - 1);
                    if (r >= skip) {
                        r++;
                    }
                    again = false;
                    for (int q = 0; q < m; q++) {
                        if (picks[q] == r) {
                            again = true;
                            break;
                        }
                    }
                } while (again);
                picks[m] = r;
                sum += x[r];
            }
            sums[s] = sum;
        }
        Arrays.sort(sums);
        return sums;
    }

    private static double twoSided(double[] sorted, double observed) {
        int m = sorted.length;
        int atMost = lowerBound(sorted, Math.nextUp(observed));
        int atLeast = m - lowerBound(sorted, observed);
        return Math.min(1.0, 2 * (1.0 + Math.min(atLeast, atMost)) / (m + 1.0));
    }

    private static int lowerBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Benjamini-Hochberg: which units are significant at false-discovery rate {@code alpha}, and the adjusted
     * p-values (q-values).
     */
    static double[] benjaminiHochberg(double[] p) {
        int n = p.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double[] q = new double[n];
        double running = 1;
        for (int rank = n; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, p[i] * n / rank);
            q[i] = running;
        }
        return q;
    }
}
