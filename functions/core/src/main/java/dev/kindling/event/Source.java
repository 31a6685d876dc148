package dev.kindling.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an event came in, and so how far it is believed ({@link Trust}). */
public enum Source {
    SHOPIFY(Trust.AUTHORITY), WOOCOMMERCE(Trust.AUTHORITY),
    /** The tracking API with the public write key (it ships in the shop's pages), and Segment's webhooks relaying such calls. */
    TRACKING(Trust.CLAIM),
    /** The tracking API called with the shop's secret server key: the shop's own backend. */
    SERVER(Trust.AUTHORITY),
    /** Recorded by Kindling itself: email engagement from SES, unsubscribes, preference changes, opt-in confirmations. */
    KINDLING(Trust.AUTHORITY),
    /** Recorded by Kindling for a public page anyone can post to (the sign-up form): what it says is a claim. */
    FORM(Trust.CLAIM);

    private final Trust trust;

    Source(Trust trust) {
        this.trust = trust;
    }

    public Trust trust() {
        return trust;
    }

    /** Sent through the tracking API, with either key. */
    public boolean isTracking() {
        return this == TRACKING || this == SERVER;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
