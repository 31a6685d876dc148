package dev.kindling.send;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Addresses no email goes to any more: hard bounces, complaints, repeated soft bounces. Per shop, by address. */
public interface Suppressions {

    /** The reason a number is kept off every text: it sent STOP (to us, or to End User Messaging's opt-out list). */
    String SMS_OPT_OUT = "sms_opt_out";

    record Suppression(String email, String reason, String detail, Instant at) {}

    Optional<Suppression> get(String shopId, String email);

    /** Idempotent: suppressing an address again keeps the first reason. */
    void suppress(String shopId, Suppression suppression);

    /** Counts a soft bounce and returns how many this address had in the last 30 days. */
    int softBounce(String shopId, String email, Instant at);

    List<Suppression> list(String shopId, int limit);

    boolean remove(String shopId, String email);
}
