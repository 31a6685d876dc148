package dev.kindling.ratelimit;

import dev.kindling.http.ApiException;
import dev.kindling.shop.Shop;
import dev.kindling.shop.Signatures;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The one set of limits on asking for marketing email, for every path that can start a double opt-in: the public
 * sign-up form, a tracking identify that says "subscribed", the shop's server. Anyone can call the public paths, so
 * one source may not sign up a list of strangers, nor anyone bombard one address with confirmation emails. The
 * counters are keyed by a hash of the address (keyed with the shop's link secret), never the address itself, so an
 * erasure leaves nothing readable behind in them.
 */
public final class SignUpLimits {
    /** Sign-ups one source IP address may make an hour: a household, an office, a shop's own tests. */
    public static final int PER_SOURCE_PER_HOUR = 20;
    /** Sign-ups of one email address a day (the confirmation itself goes at most once a day). */
    public static final int PER_ADDRESS_PER_DAY = 5;

    private final RateLimits limits;

    public SignUpLimits(RateLimits limits) {
        this.limits = limits;
    }

    /**
     * Counts one sign-up of {@code email}; throws 429 when it is over a limit.
     *
     * @param sourceIp the caller's address for a public path (a browser); null for the shop's server, whose one address
     *                 signs up everyone
     */
    public void check(Shop shop, String sourceIp, String email, Instant now) {
        if (sourceIp != null && !limits.allow(shop.id(), "subscribe-ip:" + sourceIp, PER_SOURCE_PER_HOUR, Duration.ofHours(1), now)) {
            throw new ApiException(429, "too_many_requests", "too many sign-ups from this address; try again in an hour");
        }
        if (!limits.allow(shop.id(), "subscribe-email:" + addressKey(shop, email), PER_ADDRESS_PER_DAY, Duration.ofDays(1), now)) {
            throw new ApiException(429, "too_many_requests", "this address was signed up several times today; try again tomorrow");
        }
    }

    /** Sign-ups for texts of one number a day: a form anyone can post must not make one phone ring, nor pump texts. */
    public static final int PER_NUMBER_PER_DAY = 3;

    /** Counts one sign-up for texts of {@code number}; throws 429 when it is over the day's limit. */
    public void checkNumber(Shop shop, String number, Instant now) {
        if (!limits.allow(shop.id(), "subscribe-number:" + addressKey(shop, number), PER_NUMBER_PER_DAY, Duration.ofDays(1), now)) {
            throw new ApiException(429, "too_many_requests", "this number was signed up for texts several times today; try again tomorrow");
        }
    }

    /** Whether the number may be sent its confirmation text now: once a day, whichever profile the sign-ups named. */
    public boolean confirmationTextDue(Shop shop, String number, Instant now) {
        return limits.allow(shop.id(), "confirm-number:" + addressKey(shop, number), 1, Duration.ofDays(1), now);
    }

    /** What stands for an address in a key: its HMAC with the shop's link secret, so the key names no one. */
    public static String addressKey(Shop shop, String email) {
        return Signatures.hmacSha256Hex(shop.linkSecret(), email.strip().toLowerCase(Locale.ROOT)).substring(0, 32);
    }
}
