package dev.kindling.clv;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * A shop's fitted lifetime-value model: MBG/NBD for how often and how long customers buy,
 * Gamma-Gamma for what their orders are worth, each at its most probable parameters given the
 * shop's customers and weak priors (so it answers from the first order, leaning on the priors
 * while there are few customers), with the parameters' uncertainty (the curvature of the fit: the
 * Laplace approximation) for intervals.
 *
 * @param frequencyCovariance covariance of the fit's coordinates ln r, ln α, ln(a−1), ln b (4×4, row by row)
 * @param valueCovariance     covariance of ln p, ln(q−1), ln γ (3×3, row by row)
 * @param customers           how many customers it was fitted on (0: the priors alone)
 * @param repeatCustomers     how many of them ordered more than once
 */
public record ClvModel(MbgNbd frequency, GammaGamma value, double[] frequencyCovariance, double[] valueCovariance,
                       long customers, long repeatCustomers, Instant fittedAt) {

    /** The next year, in weeks. */
    public static final double HORIZON_WEEKS = 365.25 / 7;
    static final int DRAWS = 40;

    /**
     * What the model says about one customer over the next 12 months.
     *
     * @param expectedOrders      expected orders in the next 12 months
     * @param expectedOrderValue  expected value of each
     * @param predictedClv        expected spend in the next 12 months (undiscounted)
     * @param clvLow              10th percentile of the predicted spend over the parameters' uncertainty (null: not asked)
     * @param probabilityActive   probability they are still a customer
     * @param daysToNextOrder     days until their next order is as likely as not, if they are still a customer
     */
    public record Prediction(double expectedOrders, double expectedOrderValue, double predictedClv, Double clvLow, Double clvHigh,
                             double probabilityActive, double daysToNextOrder) {
        public double churnProbability() {
            return 1 - probabilityActive;
        }
    }

    public Prediction predict(Customer c) {
        double orders = frequency.expectedPurchases(c, HORIZON_WEEKS);
        double value = this.value.expectedValue(c);
        return new Prediction(orders, value, orders * value, null, null, frequency.probabilityAlive(c), 7 * frequency.medianWeeksToNextOrder(c));
    }

    /** The prediction with a 10th–90th percentile interval of the predicted spend, over parameter sets drawn from the fit's uncertainty. */
    public Prediction predictWithInterval(Customer c) {
        Prediction point = predict(c);
        double[] clv = new double[DRAWS];
        List<MbgNbd> f = frequencyDraws();
        List<GammaGamma> v = valueDraws();
        for (int i = 0; i < DRAWS; i++) clv[i] = f.get(i).expectedPurchases(c, HORIZON_WEEKS) * v.get(i).expectedValue(c);
        Arrays.sort(clv);
        return new Prediction(point.expectedOrders(), point.expectedOrderValue(), point.predictedClv(), clv[DRAWS / 10], clv[DRAWS * 9 / 10],
                point.probabilityActive(), point.daysToNextOrder());
    }

    @JsonIgnore
    public boolean priorsOnly() {
        return customers == 0;
    }

    private List<MbgNbd> frequencyDraws() {
        List<MbgNbd> out = new ArrayList<>();
        for (double[] d : draws(ClvFit.coordinates(frequency), frequencyCovariance, 4)) out.add(ClvFit.frequencyOf(d));
        return out;
    }

    private List<GammaGamma> valueDraws() {
        List<GammaGamma> out = new ArrayList<>();
        for (double[] d : draws(ClvFit.coordinates(value), valueCovariance, 3)) out.add(ClvFit.valueOf(d));
        return out;
    }

    /** Points drawn in the fit's coordinates (seeded: the same model always gives the same interval). */
    private static List<double[]> draws(double[] mean, double[] covariance, int n) {
        double[][] cov = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) cov[i][j] = covariance[i * n + j];
        JDKRandomGenerator random = new JDKRandomGenerator();
        random.setSeed(new Random(Arrays.hashCode(mean)).nextLong());
        MultivariateNormalDistribution normal;
        try {
            normal = new MultivariateNormalDistribution(random, mean, cov);
        } catch (RuntimeException notPositiveDefinite) {
            double[][] diagonal = new double[n][n];
            for (int i = 0; i < n; i++) diagonal[i][i] = Math.max(cov[i][i], 1e-9);
            normal = new MultivariateNormalDistribution(random, mean, diagonal);
        }
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < DRAWS; i++) out.add(normal.sample());
        return out;
    }
}
