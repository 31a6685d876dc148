package dev.kindling.clv;

import dev.kindling.contact.Commerce;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * A customer as the lifetime-value models read them ("RFM"), in weeks since their first order.
 *
 * @param x      repeat purchases: orders after the first
 * @param tx     when the last order was, in weeks after the first
 * @param T      how long they have been a customer: weeks from the first order to now
 * @param orders orders in all (x + 1)
 * @param value  their average order value
 */
public record Customer(int x, double tx, double T, int orders, double value) {
    static final double DAYS_PER_WEEK = 7.0;

    /** The customer a profile's purchase facts describe at {@code now}; null for someone who never ordered. */
    public static Customer of(Commerce commerce, Instant now) {
        if (commerce.orders() == 0 || commerce.firstOrderAt() == null) return null;
        Instant first = commerce.firstOrderAt();
        Instant last = commerce.lastOrderAt() != null ? commerce.lastOrderAt() : first;
        double T = Math.max(weeks(first, now), weeks(first, last));
        BigDecimal average = commerce.averageOrderValue() != null ? commerce.averageOrderValue()
                : commerce.totalSpent().divide(BigDecimal.valueOf(commerce.orders()), 2, RoundingMode.HALF_EVEN);
        return new Customer(commerce.orders() - 1, weeks(first, last), T, commerce.orders(), average.doubleValue());
    }

    static double weeks(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis() / (DAYS_PER_WEEK * 86_400_000.0));
    }
}
