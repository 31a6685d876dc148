package dev.kindling.coupon;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A shop's unique coupon codes: the pool a coupon hands out (codes the shop uploads), or codes made on the shop's
 * platform for one send each; each given to one person once for one send, and redeemed once by an order. The key of a give is the send's idempotency key, so a retried send gets
 * the code it was given the first time, and two sends never get the same code.
 */
public interface CouponCodes {

    /**
     * The send a code is given for: its idempotency key and person, and the message as the reports name it (so the order
     * that redeems the code is credited to that message).
     *
     * @param journey the journey it was sent by, or null
     * @param campaign the campaign it was sent by, or null
     * @param step   the campaign's run or the journey's step
     */
    record Giver(String key, String contactId, String messageId, String journey, String campaign, String step, String variant, String template) {}

    /** A code given to a person: for which coupon and send, when; and the order that redeemed it, if any. */
    record Given(String code, String couponId, Giver giver, Instant at, String redeemedBy, Instant redeemedAt) {
        public String contactId() {
            return giver.contactId();
        }

        public String key() {
            return giver.key();
        }
    }

    /** Adds codes to a coupon's pool; a code the shop has already (in any coupon) is left out. Answers how many were added. */
    int add(String shopId, String couponId, List<String> codes);

    /** The code this send's key was given, or the next free one given to it now; empty when the pool is used up. */
    Optional<Given> give(String shopId, String couponId, Giver giver, Instant at);

    /** The code this send's key was given, if any. */
    Optional<Given> given(String shopId, String couponId, String key);

    /**
     * Records a code made for a send on the shop's platform ({@link PlatformCodes}) as given to its key: once; a key
     * that holds a code already keeps it, and that is the answer.
     */
    Given record(String shopId, String couponId, String code, Giver giver, Instant at);

    /** Marks a given code redeemed by an order, once: the first order's answer stands; empty for a code never given. */
    Optional<Given> redeem(String shopId, String code, String orderId, Instant at);

    /** A code as the shop knows it: whose it is and whether an order redeemed it; empty for a code never given. */
    Optional<Given> find(String shopId, String code);

    /** Codes left in a coupon's pool (for the low-pool warning). */
    long remaining(String shopId, String couponId);
}
