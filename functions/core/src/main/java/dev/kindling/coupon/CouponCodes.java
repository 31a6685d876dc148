package dev.kindling.coupon;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A shop's unique coupon codes: the pool a coupon hands out (codes the shop uploads), each given to one person once
 * for one send, and redeemed once by an order. The key of a give is the send's idempotency key, so a retried send gets
 * the code it was given the first time, and two sends never get the same code.
 */
public interface CouponCodes {

    /** A code given to a person: for which coupon, under which send's key, when; and the order that redeemed it, if any. */
    record Given(String code, String couponId, String contactId, String key, Instant at, String redeemedBy, Instant redeemedAt) {}

    /** Adds codes to a coupon's pool; a code the shop has already (in any coupon) is left out. Answers how many were added. */
    int add(String shopId, String couponId, List<String> codes);

    /** The code this key was given, or the next free one given to it now; empty when the pool is used up. */
    Optional<Given> give(String shopId, String couponId, String key, String contactId, Instant at);

    /** Marks a given code redeemed by an order, once: the first order's answer stands; empty for a code never given. */
    Optional<Given> redeem(String shopId, String code, String orderId, Instant at);

    /** Codes left in a coupon's pool (for the low-pool warning). */
    long remaining(String shopId, String couponId);
}
