package dev.kindling.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an event came in. */
public enum Source {
    SHOPIFY, WOOCOMMERCE, TRACKING,
    /** Recorded by Kindling itself: email engagement from SES, unsubscribes, preference changes, opt-in confirmations. */
    KINDLING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
