package dev.kindling.report;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What a journey or campaign added, read from its holdout: the conversion rate and revenue per
 * person of the treated and the held-out groups over the same window, their differences with
 * 95% confidence intervals (normal approximation: the difference of two proportions, and Welch's
 * difference of two means from each group's sum and sum of squares), and the incremental revenue
 * (the revenue difference per person times the treated group).
 */
public record Lift(long treated, long heldOut, long treatedConversions, long heldOutConversions,
                   double treatedRate, double heldOutRate, Interval conversionLift,
                   double treatedRevenuePerPerson, double heldOutRevenuePerPerson, Interval revenuePerPersonLift,
                   Interval incrementalRevenue) {

    static final double Z95 = 1.959963984540054;

    /** An estimate and its 95% interval; the interval is null when a group is empty (nothing to compare). */
    public record Interval(double estimate, Double low, Double high) {
        /** Whether the interval lies wholly above zero: the automation measurably helped. */
        public boolean positive() {
            return low != null && low > 0;
        }

        static Interval of(double estimate, double se) {
            return Double.isNaN(se) ? new Interval(estimate, null, null) : new Interval(estimate, estimate - Z95 * se, estimate + Z95 * se);
        }

        Interval times(double factor) {
            return new Interval(estimate * factor, low == null ? null : low * factor, high == null ? null : high * factor);
        }
    }

    /** From a lift group's sums over the cohorts asked for: {@code treated_n, holdout_n, *_conv, *_rev, *_rev2}. */
    public static Lift of(Map<String, BigDecimal> sums) {
        long nt = get(sums, "treated_n").longValue(), nh = get(sums, "holdout_n").longValue();
        long ct = get(sums, "treated_conv").longValue(), ch = get(sums, "holdout_conv").longValue();
        double pt = nt == 0 ? 0 : (double) ct / nt, ph = nh == 0 ? 0 : (double) ch / nh;
        boolean both = nt > 0 && nh > 0;
        double seRate = both ? Math.sqrt(pt * (1 - pt) / nt + ph * (1 - ph) / nh) : Double.NaN;
        double mt = mean(sums, "treated", nt), mh = mean(sums, "holdout", nh);
        double seMean = nt > 1 && nh > 1 ? Math.sqrt(variance(sums, "treated", nt, mt) / nt + variance(sums, "holdout", nh, mh) / nh) : Double.NaN;
        Interval perPerson = Interval.of(mt - mh, seMean);
        return new Lift(nt, nh, ct, ch, pt, ph, Interval.of(pt - ph, seRate), mt, mh, perPerson, perPerson.times(nt));
    }

    private static double mean(Map<String, BigDecimal> sums, String group, long n) {
        return n == 0 ? 0 : get(sums, group + "_rev").doubleValue() / n;
    }

    /** The sample variance of revenue per person, from the sum and the sum of squares. */
    private static double variance(Map<String, BigDecimal> sums, String group, long n, double mean) {
        double squares = get(sums, group + "_rev2").doubleValue();
        return Math.max(0, (squares - n * mean * mean) / (n - 1));
    }

    private static BigDecimal get(Map<String, BigDecimal> sums, String name) {
        return sums.getOrDefault(name, BigDecimal.ZERO);
    }
}
