package dev.kindling.report;

import java.time.Instant;

/**
 * An email's touch on a person, as attribution reads it: the latest open or the latest click of
 * one message, and where the message came from.
 *
 * @param kind   {@code open}, {@code click} or {@code coupon}
 * @param source {@code journey:<id>}, {@code campaign:<id>} or {@code template:<id>} (as the email counters name it)
 * @param step   the journey's step or the campaign's run
 */
public record Touch(String messageId, String kind, Instant at, String source, String step, String variant, String template) {
    public static final String OPEN = "open";
    public static final String CLICK = "click";
    /** An order redeemed a coupon code the message gave: a touch at the order itself. */
    public static final String COUPON = "coupon";
}
