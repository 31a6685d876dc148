package dev.kindling.journey;

import java.time.Instant;

/** When a contact last entered each journey, for re-entry rules ("at most once per 7 days"). */
public interface JourneyEntries {

    /** Records an entry at {@code at} unless the contact entered this journey after {@code notBefore}; false when it did. */
    boolean enter(String shopId, String contactId, String journey, Instant at, Instant notBefore);

    /** Records that the contact is in this execution, so an erasure can stop it and an export can list it. */
    void running(String shopId, String contactId, String journey, String execution, Instant at);
}
