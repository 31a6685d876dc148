package dev.kindling.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an event came in. */
public enum Source {
    SHOPIFY, WOOCOMMERCE, TRACKING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
