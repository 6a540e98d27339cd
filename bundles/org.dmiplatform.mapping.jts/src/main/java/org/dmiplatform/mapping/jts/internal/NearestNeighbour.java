package org.dmiplatform.mapping.jts.internal;

import java.util.Arrays;

/**
 * The Clark-Evans nearest-neighbour index: the mean distance from each point to its nearest other point, over what it
 * would be for as many points spread at random over the same area ({@code 0.5·√(A/n)}); under 1 the points cluster.
 * {@code z = (d̄ − d̄_E) / (0.26136·√A / n)}. Points at one location (records geocoded to the same block) are each
 * other's nearest neighbour at distance 0. The search buckets the points into a grid of about two points per
 * bucket and widens ring by ring, so it takes about n·log n, not n².
 *
 * @param observedMetres mean distance to the nearest neighbour
 * @param expectedMetres under complete spatial randomness
 * @param index observed over expected
 * @param z the z-score of the difference
 * @param areaM2 the study area used
 * @param points how many
 */
record NearestNeighbour(
        double observedMetres, double expectedMetres, double index, double z, double areaM2, int points) {

    static NearestNeighbour of(double[] xs, double[] ys, int n, double areaM2) {
        if (n < 2) {
            throw new IllegalArgumentException("the nearest-neighbour index needs at least two located records");
        }
        if (!(areaM2 > 0)) {
            throw new IllegalArgumentException("the nearest-neighbour index needs a study area larger than zero");
        }
        double total = 0;
        double[] nearest = nearest(xs, ys, n);
        for (int i = 0; i < n; i++) {
            total += nearest[i];
        }
        double observed = total / n;
        double expected = 0.5 * Math.sqrt(areaM2 / n);
        double se = 0.26136 * Math.sqrt(areaM2) / n;
        return new NearestNeighbour(observed, expected, observed / expected, (observed - expected) / se, areaM2, n);
    }

    /** Each point's distance to its nearest other point. */
    static double[] nearest(double[] xs, double[] ys, int n) {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, xs[i]);
            maxX = Math.max(maxX, xs[i]);
            minY = Math.min(minY, ys[i]);
            maxY = Math.max(maxY, ys[i]);
        }
        double w = Math.max(maxX - minX, 1e-9);
        double h = Math.max(maxY - minY, 1e-9);
        double side = Math.max(Math.sqrt(w * h * 2 / n), 1e-6);
        int cols = (int) Math.min(Math.ceil(w / side) + 1, 1 << 14);
        int rows = (int) Math.min(Math.ceil(h / side) + 1, 1 << 14);
        side = Math.max(w / (cols - 1 == 0 ? 1 : cols - 1), h / (rows - 1 == 0 ? 1 : rows - 1));
        final double cell = Math.max(side, 1e-9);
        int[] head = new int[cols * rows + 1];
        int[] bucket = new int[n];
        for (int i = 0; i < n; i++) {
            bucket[i] = (int) ((ys[i] - minY) / cell) * cols + (int) ((xs[i] - minX) / cell);
            head[bucket[i] + 1]++;
        }
        for (int b = 0; b < cols * rows; b++) {
            head[b + 1] += head[b];
        }
        int[] members = new int[n];
        int[] fill = Arrays.copyOf(head, head.length);
        for (int i = 0; i < n; i++) {
            members[fill[bucket[i]]++] = i;
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int bc = bucket[i] % cols;
            int br = bucket[i] / cols;
            double best = Double.POSITIVE_INFINITY;
            for (int ring = 0; ; ring++) {
                // every point in rings beyond this one is at least (ring) cells away
                if (best <= (ring - 1) * cell * (ring - 1) * cell && ring > 1) {
                    break;
                }
                if (ring > cols && ring > rows) {
                    break;
                }
                for (int r = br - ring; r <= br + ring; r++) {
                    if (r < 0 || r >= rows) {
                        continue;
                    }
                    boolean edgeRow = r == br - ring || r == br + ring;
                    for (int c = bc - ring; c <= bc + ring; c += edgeRow ? 1 : 2 * ring) {
                        if (c >= 0 && c < cols) {
                            int b = r * cols + c;
                            for (int k = head[b]; k < head[b + 1]; k++) {
                                int j = members[k];
                                if (j != i) {
                                    double dx = xs[j] - xs[i];
                                    double dy = ys[j] - ys[i];
                                    double d = dx * dx + dy * dy;
                                    if (d < best) {
                                        best = d;
                                    }
                                }
                            }
                        }
                        if (ring == 0) {
                            break;
                        }
                    }
                }
            }
            out[i] = Math.sqrt(best);
        }
        return out;
    }
}
