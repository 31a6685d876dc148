package dev.kindling.clv;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Customers drawn from the MBG/NBD and Gamma-Gamma processes with known parameters: each first
 * orders at a uniform time in a calibration year, buys at rate λ while active and leaves with
 * probability p after each order; each has their own mean order value. What each does in the
 * year after the calibration year is kept apart, to check the predictions against. For the
 * calibration test and benchmark.
 */
public final class SyntheticCustomers {
    /** A customer's first year (as the model reads it) and what they did in the year after. */
    public record Drawn(Customer calibration, int holdoutOrders, double holdoutSpend) {}

    public static List<Drawn> draw(MbgNbd f, GammaGamma v, int n, double weeks, long seed) {
        RandomGenerator random = new Well19937c(seed);
        GammaDistribution rates = new GammaDistribution(random, f.r(), 1 / f.alpha());
        BetaDistribution dropouts = new BetaDistribution(random, f.a(), f.b());
        GammaDistribution scales = new GammaDistribution(random, v.q(), 1 / v.gamma());
        List<Drawn> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double start = random.nextDouble() * weeks;
            double T = weeks - start;
            double lambda = rates.sample(), p = dropouts.sample(), nu = scales.sample();
            GammaDistribution orderValue = new GammaDistribution(random, v.p(), 1 / nu);
            int x = 0, holdout = 0;
            double tx = 0, spent = orderValue.sample(), holdoutSpend = 0;
            double t = 0;
            boolean active = random.nextDouble() >= p; // MBG: one may leave right after the first order
            while (active) {
                t += new ExponentialDistribution(random, 1 / lambda).sample();
                if (t > T + weeks) break;
                double value = orderValue.sample();
                if (t <= T) {
                    x++;
                    tx = t;
                    spent += value;
                } else {
                    holdout++;
                    holdoutSpend += value;
                }
                active = random.nextDouble() >= p;
            }
            out.add(new Drawn(new Customer(x, tx, T, x + 1, spent / (x + 1)), holdout, holdoutSpend));
        }
        return out;
    }

    private SyntheticCustomers() {}
}
