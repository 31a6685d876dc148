package dev.kindling.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Picks an A/B/n test's winner the Bayesian way: each variant's rate (opens or clicks per recipient) has a Beta(1 + successes,
 * 1 + failures) posterior from a uniform prior; the probability that a variant is best is the share of joint draws in which
 * its rate is the highest. The winner is the variant with the highest probability; the decision is conclusive when that
 * probability reaches the stated level and every variant had the stated minimum of recipients (Klaviyo asks 500 and 90%).
 * Draws come from a fixed seed, so the same figures always give the same decision. Campaign tests and journey splits
 * both decide here.
 */
public final class WinnerChoice {
    static final int DRAWS = 20_000;
    private static final long SEED = 0x6b696e646c696e67L;

    /**
     * One variant's figures: how many got it, how many of them opened, clicked or ordered, and (for a test by revenue) the
     * revenue credited to it.
     */
    public record Arm(String variant, long recipients, long successes, double revenue) {
        public Arm(String variant, long recipients, long successes) {
            this(variant, recipients, successes, 0);
        }

        public double rate() {
            return recipients == 0 ? 0 : (double) successes / recipients;
        }

        public double revenuePerRecipient() {
            return recipients == 0 ? 0 : revenue / recipients;
        }
    }

    /** @param probabilities each arm's probability to be best, in the arms' order */
    public record Decision(String winner, boolean conclusive, String reason, List<Arm> arms, List<Double> probabilities) {}

    private WinnerChoice() {}

    public static Decision decide(List<Arm> arms, double probability, int minPerVariant) {
        return decide(arms, probability, minPerVariant, WinnerChoice::rateDraw, "");
    }

    /**
     * Picks the variant with the most revenue per recipient. Revenue per recipient is the conversion rate times the
     * average order, and each has its posterior: the rate Beta(1 + orders, 1 + recipients - orders) as for opens, and the
     * average order 1/λ where order values are taken as exponential with rate λ, whose posterior from a Gamma(1, 1) prior
     * is Gamma(1 + orders, 1 + revenue) (the model of Stucchio's "Bayesian A/B testing at VWO", 2015). Each joint draw
     * multiplies the two; the probability to be best is, as for rates, the share of draws in which a variant is highest.
     * {@code successes} are the orders credited to each variant.
     */
    public static Decision decideByRevenue(List<Arm> arms, double probability, int minPerVariant) {
        return decide(arms, probability, minPerVariant, WinnerChoice::revenueDraw, " by revenue per recipient");
    }

    private interface Draw {
        double of(SplittableRandom random, Arm arm);
    }

    private static double rateDraw(SplittableRandom random, Arm a) {
        return beta(random, 1 + a.successes(), 1 + Math.max(0, a.recipients() - a.successes()));
    }

    private static double revenueDraw(SplittableRandom random, Arm a) {
        double lambda = gamma(random, 1 + a.successes()) / (1 + a.revenue());
        return rateDraw(random, a) / lambda;
    }

    private static Decision decide(List<Arm> arms, double probability, int minPerVariant, Draw draw, String by) {
        if (arms.size() < 2) throw new IllegalArgumentException("a test needs two variants or more");
        double[] best = probabilitiesToBeBest(arms, draw);
        int winner = 0;
        for (int i = 1; i < best.length; i++) if (best[i] > best[winner]) winner = i;
        List<Double> p = new ArrayList<>();
        for (double b : best) p.add(Math.round(b * 10_000) / 10_000.0);
        long fewest = arms.stream().mapToLong(Arm::recipients).min().orElse(0);
        Arm w = arms.get(winner);
        String reason;
        boolean conclusive = false;
        if (fewest < minPerVariant) {
            reason = "too few recipients: " + fewest + " in the smallest variant, " + minPerVariant + " needed; the leader goes";
        } else if (best[winner] < probability) {
            reason = String.format(Locale.ROOT, "no variant is best%s with %.0f%% probability (the leader has %.1f%%); the leader goes",
                    by, probability * 100, best[winner] * 100);
        } else {
            conclusive = true;
            reason = String.format(Locale.ROOT, "%s is best%s with %.1f%% probability", w.variant(), by, best[winner] * 100);
        }
        return new Decision(w.variant(), conclusive, reason, List.copyOf(arms), List.copyOf(p));
    }

    static double[] probabilitiesToBeBest(List<Arm> arms) {
        return probabilitiesToBeBest(arms, WinnerChoice::rateDraw);
    }

    private static double[] probabilitiesToBeBest(List<Arm> arms, Draw draw) {
        SplittableRandom random = new SplittableRandom(SEED);
        int[] wins = new int[arms.size()];
        for (int d = 0; d < DRAWS; d++) {
            int top = 0;
            double topRate = -1;
            for (int i = 0; i < arms.size(); i++) {
                double rate = draw.of(random, arms.get(i));
                if (rate > topRate) {
                    topRate = rate;
                    top = i;
                }
            }
            wins[top]++;
        }
        double[] p = new double[arms.size()];
        for (int i = 0; i < p.length; i++) p[i] = (double) wins[i] / DRAWS;
        return p;
    }

    /** A Beta(a, b) draw as X / (X + Y) of two Gamma draws. */
    static double beta(SplittableRandom random, double a, double b) {
        double x = gamma(random, a);
        double y = gamma(random, b);
        return x / (x + y);
    }

    /** Marsaglia and Tsang's method (shape of at least 1, which every posterior here has: 1 plus counts). */
    static double gamma(SplittableRandom random, double shape) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = normal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
        }
    }

    private static double normal(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
