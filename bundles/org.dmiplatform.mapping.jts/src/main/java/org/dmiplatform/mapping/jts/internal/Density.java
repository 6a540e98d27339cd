package org.dmiplatform.mapping.jts.internal;

/**
 * Kernel density on a grid: the points are binned into the grid's cells, then smoothed with a Gaussian kernel of
 * standard deviation {@code bandwidth}, applied separably (rows, then columns) with the discrete weights
 * {@code exp(-k²/2σ²)} for {@code |k| ≤ ⌊4σ + ½⌋} cells, normalised to sum 1; cells beyond the grid count as empty.
 * This is {@code scipy.ndimage.gaussian_filter(counts, σ, mode='constant', truncate=4)} on
 * {@code numpy.histogram2d}'s counts, to the last bits. Density is per square metre and sums (times the cell area)
 * to the share of the kernel mass inside the grid, at most 1.
 */
final class Density {
    static final double TRUNCATE = 4.0;

    private Density() {}

    /** The kernel's weights, index {@code k + radius}. */
    static double[] kernel(double sigmaCells) {
        int radius = (int) (TRUNCATE * sigmaCells + 0.5);
        double[] w = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            double v = Math.exp(-0.5 * k * k / (sigmaCells * sigmaCells));
            w[k + radius] = v;
            sum += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /**
     * Smooths counts ({@code rows x columns}, row-major) in place of a copy, the same pass order as scipy: along rows
     * of the array (y) first, then along columns (x).
     */
    static double[] smooth(double[] counts, int columns, int rows, double sigmaCells) {
        double[] w = kernel(sigmaCells);
        int radius = w.length / 2;
        double[] tmp = new double[counts.length];
        // axis 0 (y): for each column, convolve down the rows
        for (int r = 0; r < rows; r++) {
            int lo = Math.max(0, r - radius);
            int hi = Math.min(rows - 1, r + radius);
            int out = r * columns;
            for (int s = lo; s <= hi; s++) {
                double weight = w[s - r + radius];
                int in = s * columns;
                for (int c = 0; c < columns; c++) {
                    tmp[out + c] += weight * counts[in + c];
                }
            }
        }
        double[] result = new double[counts.length];
        // axis 1 (x): along each row
        for (int r = 0; r < rows; r++) {
            int base = r * columns;
            for (int c = 0; c < columns; c++) {
                double v = tmp[base + c];
                if (v == 0) {
                    continue;
                }
                int lo = Math.max(0, c - radius);
                int hi = Math.min(columns - 1, c + radius);
                for (int t = lo; t <= hi; t++) {
                    result[base + t] += w[c - t + radius] * v;
                }
            }
        }
        return result;
    }

    /** Density per square metre of n points binned into {@code counts}. */
    static double[] density(double[] counts, Grid grid, long n, double bandwidthMetres) {
        double[] smoothed = smooth(counts, grid.columns, grid.rows, bandwidthMetres / grid.cell);
        double scale = 1.0 / (n * grid.cell * grid.cell);
        for (int i = 0; i < smoothed.length; i++) {
            smoothed[i] *= scale;
        }
        return smoothed;
    }

    /**
     * The bandwidth rule when none is given: Silverman's rule of thumb made robust to outliers and for two dimensions,
     * as ArcGIS Pro's Kernel Density uses it: {@code 0.9 · min(SD, √(1/ln 2) · Dm) · n^(-0.2)}, where SD is the standard
     * distance of the points from their mean centre and Dm the median of those distances.
     */
    static double silverman(double[] xs, double[] ys, int n) {
        if (n < 2) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += xs[i];
            my += ys[i];
        }
        mx /= n;
        my /= n;
        double[] d = new double[n];
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double dx = xs[i] - mx;
            double dy = ys[i] - my;
            ss += dx * dx + dy * dy;
            d[i] = Math.sqrt(dx * dx + dy * dy);
        }
        double sd = Math.sqrt(ss / n);
        java.util.Arrays.sort(d);
        double median = n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
        return 0.9 * Math.min(sd, Math.sqrt(1 / Math.log(2)) * median) * Math.pow(n, -0.2);
    }
}
