package dev.kindling.clv;

/** Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1, by its series (what the MBG/NBD expectation needs). */
final class Hypergeometric {
    private static final int MAX_TERMS = 100_000;

    private Hypergeometric() {}

    static double f21(double a, double b, double c, double z) {
        if (z < 0 || z >= 1) throw new IllegalArgumentException("2F1 by its series needs 0 <= z < 1, not " + z);
        double term = 1, sum = 1;
        for (int k = 0; k < MAX_TERMS; k++) {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
            if (Math.abs(term) < 1e-14 * Math.abs(sum)) return sum;
        }
        return sum; // z very near 1: the series has not settled; the sum so far is the best we have
    }
}
