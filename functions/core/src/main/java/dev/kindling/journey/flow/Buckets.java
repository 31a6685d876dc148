package dev.kindling.journey.flow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Stable random assignment: the same seed (a contact and a journey, or a journey's step) always lands in the same
 * bucket, so a contact stays in the holdout or in the same A/B/n arm however often a turn is retried, with no state
 * kept anywhere. Journeys' holdouts, entry variants and split arms all draw from here.
 */
public final class Buckets {
    private Buckets() {}

    /** Whether the seed falls in the holdout: stable, {@code percent} of seeds. */
    public static boolean inHoldout(String seed, int percent) {
        return percent > 0 && bucket(seed + "|holdout", 100) < percent;
    }

    /** One of the options by weight (variants, split arms), the same one for the same seed. */
    public static <T> T pick(String seed, List<T> options, ToIntFunction<T> weight) {
        int pick = bucket(seed, options.stream().mapToInt(weight).sum());
        for (T option : options) {
            if (pick < weight.applyAsInt(option)) return option;
            pick -= weight.applyAsInt(option);
        }
        return options.getLast();
    }

    private static int bucket(String seed, int of) {
        if (of <= 0) return 0;
        byte[] bytes = seed.getBytes(StandardCharsets.UTF_8);
        long h = 1125899906842597L;
        for (byte b : bytes) h = 31 * h + b;
        return (int) Math.floorMod(h ^ (h >>> 29), (long) of);
    }
}
