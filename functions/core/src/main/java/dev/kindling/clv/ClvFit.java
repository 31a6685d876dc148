package dev.kindling.clv;

import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Fits a shop's {@link ClvModel}: the parameters that maximise the customers' likelihood times a
 * weak prior (normal in the fit's coordinates, one unit of spread around {@link #FREQUENCY_PRIOR} and
 * {@link #valuePrior}), by Nelder-Mead on the log scale; then the curvature there (a numerical
 * Hessian) for the parameters' uncertainty. With no customers the priors are the answer.
 */
public final class ClvFit {
    /**
     * While active a customer orders about once in 12 weeks (r = 1, α = 12), and after each order
     * one in three leaves (a = 2, b = 4): a middling shop, to be moved by the shop's own data.
     */
    public static final MbgNbd FREQUENCY_PRIOR = new MbgNbd(1, 12, 2, 4);
    static final double PRIOR_SPREAD = 1.0;

    private ClvFit() {}

    /** Value prior: order values spread as with p = 6, q = 4, centred on the customers' own average order value (20 with none). */
    static GammaGamma valuePrior(List<Customer> customers) {
        double mean = customers.stream().mapToDouble(Customer::value).average().orElse(20);
        return new GammaGamma(6, 4, Math.max(mean, 0.01) * 3 / 6);
    }

    public static ClvModel fit(List<Customer> customers, Instant at) {
        GammaGamma valuePrior = valuePrior(customers);
        double[] fp = coordinates(FREQUENCY_PRIOR);
        double[] vp = coordinates(valuePrior);
        ToDoubleFunction<double[]> frequency = l -> -(frequencyOf(l).logLikelihood(customers) + logPrior(l, fp));
        ToDoubleFunction<double[]> value = l -> -(valueOf(l).logLikelihood(customers) + logPrior(l, vp));
        double[] f = customers.isEmpty() ? fp : minimise(frequency, fp);
        double[] v = customers.isEmpty() ? vp : minimise(value, vp);
        long repeat = customers.stream().filter(c -> c.x() > 0).count();
        return new ClvModel(frequencyOf(f), valueOf(v), covariance(frequency, f), covariance(value, v), customers.size(), repeat, at);
    }

    /*
     * The fit's coordinates: ln r, ln α, ln(a − 1), ln b and ln p, ln(q − 1), ln γ — every point a valid
     * model, and a > 1, q > 1, without which the expected orders and order value are infinite.
     */
    static MbgNbd frequencyOf(double[] c) {
        return new MbgNbd(Math.exp(c[0]), Math.exp(c[1]), 1 + Math.exp(c[2]), Math.exp(c[3]));
    }

    static GammaGamma valueOf(double[] c) {
        return new GammaGamma(Math.exp(c[0]), 1 + Math.exp(c[1]), Math.exp(c[2]));
    }

    static double[] coordinates(MbgNbd f) {
        return new double[] {Math.log(f.r()), Math.log(f.alpha()), Math.log(f.a() - 1), Math.log(f.b())};
    }

    static double[] coordinates(GammaGamma v) {
        return new double[] {Math.log(v.p()), Math.log(v.q() - 1), Math.log(v.gamma())};
    }

    private static double logPrior(double[] logs, double[] centre) {
        double sum = 0;
        for (int i = 0; i < logs.length; i++) sum -= Math.pow(logs[i] - centre[i], 2) / (2 * PRIOR_SPREAD * PRIOR_SPREAD);
        return sum;
    }

    private static double[] minimise(ToDoubleFunction<double[]> f, double[] start) {
        SimplexOptimizer optimizer = new SimplexOptimizer(1e-10, 1e-8);
        double[] best = start;
        // Nelder-Mead can stall on a ridge: a restart from where it stopped settles it
        for (int restart = 0; restart < 3; restart++) {
            PointValuePair result = optimizer.optimize(new MaxEval(20_000), new ObjectiveFunction(p -> finite(f.applyAsDouble(p))),
                    GoalType.MINIMIZE, new InitialGuess(best), new NelderMeadSimplex(start.length, 0.5));
            boolean moved = distance(result.getPoint(), best) > 1e-6;
            best = result.getPoint();
            if (!moved) break;
        }
        return best;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 1e300;
    }

    /** The inverse of the negative log posterior's Hessian at its minimum, by central differences (row by row). */
    private static double[] covariance(ToDoubleFunction<double[]> f, double[] at) {
        int n = at.length;
        double h = 1e-3;
        double[][] hessian = new double[n][n];
        double f0 = f.applyAsDouble(at);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double value;
                if (i == j) {
                    value = (f.applyAsDouble(shift(at, i, h, j, 0)) - 2 * f0 + f.applyAsDouble(shift(at, i, -h, j, 0))) / (h * h);
                } else {
                    value = (f.applyAsDouble(shift(at, i, h, j, h)) - f.applyAsDouble(shift(at, i, h, j, -h))
                            - f.applyAsDouble(shift(at, i, -h, j, h)) + f.applyAsDouble(shift(at, i, -h, j, -h))) / (4 * h * h);
                }
                hessian[i][j] = value;
                hessian[j][i] = value;
            }
        }
        RealMatrix inverse;
        try {
            inverse = new LUDecomposition(MatrixUtils.createRealMatrix(hessian)).getSolver().getInverse();
        } catch (RuntimeException singular) {
            inverse = MatrixUtils.createRealIdentityMatrix(n).scalarMultiply(PRIOR_SPREAD * PRIOR_SPREAD);
        }
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) out[i * n + j] = (inverse.getEntry(i, j) + inverse.getEntry(j, i)) / 2;
        // a covariance must be positive definite to draw from; a flat direction gets the prior's spread
        for (int i = 0; i < n; i++) if (!(out[i * n + i] > 0)) out[i * n + i] = PRIOR_SPREAD * PRIOR_SPREAD;
        return out;
    }

    private static double[] shift(double[] at, int i, double di, int j, double dj) {
        double[] p = at.clone();
        p[i] += di;
        p[j] += dj;
        return p;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }

}
