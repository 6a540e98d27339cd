package org.dmiplatform.reporting.standard.internal;

import java.util.Optional;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * An interrupted time series as a Poisson regression, fitted by iteratively reweighted least squares (the method of
 * R's {@code glm}): log(mean) = b0 + b1 t + b2 after + b3 (t - t0) after [+ s sin(2 pi m / 12) + k cos(2 pi m / 12)],
 * with t the month's place in the series and m its calendar month. Standard errors are scaled by the square root of
 * the Pearson dispersion when it exceeds 1 (quasi-Poisson), else left as Poisson's.
 */
final class SegmentedPoisson {
    /** The coefficients' places. */
    static final int INTERCEPT = 0;

    static final int TREND = 1;
    static final int LEVEL = 2;
    static final int TREND_CHANGE = 3;

    private static final int MAX_ITERATIONS = 100;
    private static final double TOLERANCE = 1e-13;

    private SegmentedPoisson() {}

    /**
     * @param beta the coefficients
     * @param standardErrors theirs, scaled by the dispersion when it exceeds 1
     * @param dispersion Pearson's chi-square over the residual degrees of freedom
     * @param mean the fitted mean of each month
     */
    record Fit(double[] beta, double[] standardErrors, double dispersion, double[] mean) {}

    /**
     * @param y the counts
     * @param t each count's place in the series
     * @param after whether it is after the call-in
     * @param since months since the call-in (0 before)
     * @param calendarMonth 1 (January) to 12
     * @param seasonal whether to fit the yearly sine and cosine
     * @return empty when the fit does not converge to finite coefficients (no records in a period, too few months)
     */
    static Optional<Fit> fit(long[] y, int[] t, boolean[] after, int[] since, int[] calendarMonth, boolean seasonal) {
        int n = y.length;
        int p = seasonal ? 6 : 4;
        if (n <= p) {
            return Optional.empty();
        }
        long before = 0;
        long afterCount = 0;
        for (int i = 0; i < n; i++) {
            if (after[i]) {
                afterCount += y[i];
            } else {
                before += y[i];
            }
        }
        // no records on one side: the change in level is minus or plus infinity, not an estimate
        if (before == 0 || afterCount == 0) {
            return Optional.empty();
        }
        double[][] x = new double[n][p];
        for (int i = 0; i < n; i++) {
            x[i][INTERCEPT] = 1;
            x[i][TREND] = t[i];
            x[i][LEVEL] = after[i] ? 1 : 0;
            x[i][TREND_CHANGE] = since[i];
            if (seasonal) {
                x[i][4] = Math.sin(2 * Math.PI * calendarMonth[i] / 12);
                x[i][5] = Math.cos(2 * Math.PI * calendarMonth[i] / 12);
            }
        }
        double[] mu = new double[n];
        double[] eta = new double[n];
        for (int i = 0; i < n; i++) {
            mu[i] = y[i] + 0.1; // R's start for the Poisson family
            eta[i] = Math.log(mu[i]);
        }
        double deviance = deviance(y, mu);
        double[] beta = null;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            // weighted least squares of the working response on x, weights mu
            double[][] xtwx = new double[p][p];
            double[] xtwz = new double[p];
            for (int i = 0; i < n; i++) {
                double z = eta[i] + (y[i] - mu[i]) / mu[i];
                for (int a = 0; a < p; a++) {
                    xtwz[a] += x[i][a] * mu[i] * z;
                    for (int b = 0; b <= a; b++) {
                        xtwx[a][b] += x[i][a] * mu[i] * x[i][b];
                    }
                }
            }
            for (int a = 0; a < p; a++) {
                for (int b = a + 1; b < p; b++) {
                    xtwx[a][b] = xtwx[b][a];
                }
            }
            DecompositionSolver solver;
            try {
                solver = new CholeskyDecomposition(new Array2DRowRealMatrix(xtwx, false), 1e-14, 1e-14).getSolver();
            } catch (NonPositiveDefiniteMatrixException e) {
                return Optional.empty();
            }
            RealVector next = solver.solve(new ArrayRealVector(xtwz, false));
            beta = next.toArray();
            for (int i = 0; i < n; i++) {
                double e = 0;
                for (int a = 0; a < p; a++) {
                    e += x[i][a] * beta[a];
                }
                eta[i] = e;
                mu[i] = Math.exp(e);
            }
            double previous = deviance;
            deviance = deviance(y, mu);
            if (!Double.isFinite(deviance)) {
                return Optional.empty();
            }
            if (Math.abs(deviance - previous) / (Math.abs(deviance) + 0.1) < TOLERANCE && iteration > 0) {
                break;
            }
        }
        // the information at the final coefficients
        double[][] xtwx = new double[p][p];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    xtwx[a][b] += x[i][a] * mu[i] * x[i][b];
                }
            }
        }
        RealMatrix covariance;
        try {
            covariance = new CholeskyDecomposition(new Array2DRowRealMatrix(xtwx, false), 1e-14, 1e-14)
                    .getSolver()
                    .getInverse();
        } catch (NonPositiveDefiniteMatrixException e) {
            return Optional.empty();
        }
        double pearson = 0;
        for (int i = 0; i < n; i++) {
            pearson += (y[i] - mu[i]) * (y[i] - mu[i]) / mu[i];
        }
        double dispersion = pearson / (n - p);
        double scale = Math.max(1, dispersion);
        double[] se = new double[p];
        for (int a = 0; a < p; a++) {
            se[a] = Math.sqrt(covariance.getEntry(a, a) * scale);
        }
        for (int a = 0; a < p; a++) {
            // a period (nearly) without records drives its coefficient off towards infinity: no estimate. A standard
            // error above 10 on the log scale (a factor of e^20 either way) is such a coefficient, not a finding
            if (!Double.isFinite(beta[a]) || !Double.isFinite(se[a]) || Math.abs(beta[a]) > 50 || se[a] > 10) {
                return Optional.empty();
            }
        }
        for (double m : mu) {
            // R's "fitted rates numerically 0": the fit separated the data
            if (!(m > 1e-8) || !Double.isFinite(m)) {
                return Optional.empty();
            }
        }
        return Optional.of(new Fit(beta, se, dispersion, mu.clone()));
    }

    /** The Poisson deviance. */
    private static double deviance(long[] y, double[] mu) {
        double d = 0;
        for (int i = 0; i < y.length; i++) {
            d += y[i] == 0 ? 2 * mu[i] : 2 * (y[i] * Math.log(y[i] / mu[i]) - (y[i] - mu[i]));
        }
        return d;
    }
}
