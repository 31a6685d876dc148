package dev.kindling.event;

import java.util.Locale;

/**
 * How far Kindling believes what an event says. The public write key ships in every shop's pages, so
 * anything sent with it, or by a browser, is a {@link #CLAIM}: it records behaviour and traits on the
 * profile it names, and never moves an identifier another profile holds, replaces a verified address,
 * makes or changes an order, money or the catalog, or decides a merge by its own clock. Signed webhooks,
 * imports, the secret server key and the admin API are {@link #AUTHORITY}.
 */
public enum Trust {
    CLAIM, AUTHORITY;

    public boolean isClaim() {
        return this == CLAIM;
    }

    /** How a journey's trigger writes it ({@code claim}, {@code authority}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The trust a trigger wrote; anything else, or nothing, is a claim. */
    public static Trust ofWireName(String name) {
        return AUTHORITY.wireName().equals(name) ? AUTHORITY : CLAIM;
    }
}
