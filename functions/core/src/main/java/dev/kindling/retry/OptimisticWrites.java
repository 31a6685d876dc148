package dev.kindling.retry;

import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Optimistic writes that lost to a concurrent writer: read again and retry after a jittered pause
 * that grows with each loss (exponential backoff with full jitter), so writers racing on one hot
 * item (a best-selling product, a shop's ranking) spread out instead of colliding again.
 */
public final class OptimisticWrites {
    static final int ATTEMPTS = 25;

    private OptimisticWrites() {}

    /** Runs {@code attempt} until it returns true; throws when it keeps losing (the trigger is retried later). */
    public static void untilWritten(String what, BooleanSupplier attempt) {
        for (int i = 0; i < ATTEMPTS; i++) {
            if (attempt.getAsBoolean()) return;
            Backoff.pause(i, 5, 160, what);
        }
        throw new Contended(what + " kept changing under concurrent writes; giving up this attempt");
    }

    /**
     * As {@link #untilWritten(String, BooleanSupplier)}, each attempt handed what it starts from: the first attempt
     * {@code first}'s (what the caller read already, for the several writes one event makes), each attempt after a
     * loss {@code read}'s, read again.
     */
    public static <T> void untilWritten(String what, Supplier<T> first, Supplier<T> read, Predicate<T> attempt) {
        Supplier<T> from = first;
        for (int i = 0; i < ATTEMPTS; i++) {
            if (attempt.test(from.get())) return;
            from = read;
            Backoff.pause(i, 5, 160, what);
        }
        throw new Contended(what + " kept changing under concurrent writes; giving up this attempt");
    }
}
