package dev.kindling.clv;

import java.util.List;
import org.apache.commons.math3.special.Gamma;

/**
 * How often a customer buys and whether they are still a customer: the MBG/NBD model (Batislam,
 * Denizel and Filiztekin 2007), BG/NBD (Fader, Hardie and Lee 2005) with a chance to leave right
 * after the first order too, so that one-time buyers can be lost. While active a customer buys at
 * a rate λ ~ Gamma(r, α) per week; after each order (the first included) they leave with
 * probability p ~ Beta(a, b). Formulas in docs/reports.md.
 */
public record MbgNbd(double r, double alpha, double a, double b) {

    /** The log-likelihood of one customer's (x, tₓ, T). */
    public double logLikelihood(Customer c) {
        int x = c.x();
        // ln Γ(r+x) − ln Γ(r) as a sum of logs: x is small, and this is the fit's inner loop
        double lnA1 = r * Math.log(alpha) + risingLog(r, x);
        double lnA2 = risingLog(b, x + 1) - risingLog(a + b, x + 1);
        double lnA3 = -(r + x) * Math.log(alpha + c.T());
        double lnA4 = Math.log(a) - Math.log(b + x) - (r + x) * Math.log(alpha + c.tx());
        return lnA1 + lnA2 + logSumExp(lnA3, lnA4);
    }

    public double logLikelihood(List<Customer> customers) {
        double sum = 0;
        for (Customer c : customers) sum += logLikelihood(c);
        return sum;
    }

    /** The probability the customer is still a customer at T. */
    public double probabilityAlive(Customer c) {
        int x = c.x();
        double ratio = Math.exp(Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + c.T()) - Math.log(alpha + c.tx())));
        return 1 / (1 + ratio);
    }

    /** Expected orders in the next {@code weeks}, given what the customer did so far. */
    public double expectedPurchases(Customer c, double weeks) {
        if (a <= 1) return Double.NaN; // the expectation needs a > 1
        int x = c.x();
        double z = weeks / (alpha + c.T() + weeks);
        double hyp = Hypergeometric.f21(r + x, b + x + 1, a + b + x, z);
        double first = (a + b + x) / (a - 1);
        double second = 1 - Math.pow((alpha + c.T()) / (alpha + c.T() + weeks), r + x) * hyp;
        return first * second * probabilityAlive(c);
    }

    /**
     * Weeks from now until the next order is as likely as not, if the customer is still one: the
     * median of the wait for an active customer's next order, with λ as the data leave it
     * (Gamma(r+x, α+T)).
     */
    public double medianWeeksToNextOrder(Customer c) {
        return (alpha + c.T()) * (Math.pow(2, 1 / (r + c.x())) - 1);
    }

    /** ln(a (a+1) … (a+n−1)) = ln Γ(a+n) − ln Γ(a). */
    static double risingLog(double a, int n) {
        if (n > 64) return Gamma.logGamma(a + n) - Gamma.logGamma(a);
        double sum = 0;
        for (int k = 0; k < n; k++) sum += Math.log(a + k);
        return sum;
    }

    static double logSumExp(double u, double v) {
        double m = Math.max(u, v);
        return m + Math.log(Math.exp(u - m) + Math.exp(v - m));
    }
}
