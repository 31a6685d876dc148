package dev.kindling.clv;

import java.util.List;
import org.apache.commons.math3.special.Gamma;

/**
 * What a customer's orders are worth: the Gamma-Gamma model (Fader, Hardie and Lee 2005, "RFM
 * and CLV"). Each order's value is Gamma(p, ν) with ν ~ Gamma(q, γ) per customer, so a customer's
 * expected order value is their own average shrunk towards the shop's, the more so the fewer
 * orders they made.
 */
public record GammaGamma(double p, double q, double gamma) {

    /** The log-likelihood of a customer's average order value over their orders. */
    public double logLikelihood(Customer c) {
        int n = c.orders();
        double m = Math.max(c.value(), 0.01);
        double pn = p * n;
        return Gamma.logGamma(pn + q) - Gamma.logGamma(pn) - Gamma.logGamma(q) + q * Math.log(gamma)
                + (pn - 1) * Math.log(m) + pn * Math.log(n) - (pn + q) * Math.log(gamma + n * m);
    }

    public double logLikelihood(List<Customer> customers) {
        double sum = 0;
        for (Customer c : customers) sum += logLikelihood(c);
        return sum;
    }

    /** The customer's expected order value from here on. */
    public double expectedValue(Customer c) {
        int n = c.orders();
        return (gamma + n * c.value()) * p / (p * n + q - 1);
    }

    /** The average order value of the shop's customers as the model has it (pγ/(q−1)). */
    public double populationMean() {
        return q > 1 ? p * gamma / (q - 1) : Double.NaN;
    }
}
