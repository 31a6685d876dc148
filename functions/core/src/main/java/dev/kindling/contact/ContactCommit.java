package dev.kindling.contact;

import dev.kindling.event.CanonicalEvent;
import java.time.Instant;
import java.util.List;

/**
 * Everything one event changes, written atomically.
 *
 * @param deliveryKey the dedupe key of the delivery, stable across retries (e.g. {@code shopify:<webhook id>})
 * @param profiles    each profile the event concerns, with the version it was read at (0: must not exist yet); one the
 *                    event left as it was has that version still ({@link VersionedContact#unchanged})
 * @param claims      identities to point at a profile
 * @param consents    the consent ledger entries: one for each purpose whose consent the event changed
 * @param statedAt    the time every delivery of the event states (a tracking call's own {@code timestamp}), for an event
 *                    whose delivery key and message id name each other; null when its deliveries state none the same (a
 *                    webhook's, an import's). Where the event is stored at it ({@link #keyedByItsEvent}), the stored
 *                    event's key tells a redelivery by itself
 */
public record ContactCommit(
        String shopId,
        String deliveryKey,
        String contactId,
        CanonicalEvent event,
        List<VersionedContact> profiles,
        List<IdentityClaim> claims,
        List<ConsentRecord> consents,
        Instant statedAt) {

    public ContactCommit {
        consents = consents == null ? List.of() : List.copyOf(consents);
    }

    public ContactCommit(String shopId, String deliveryKey, String contactId, CanonicalEvent event, List<VersionedContact> profiles,
                         List<IdentityClaim> claims, List<ConsentRecord> consents) {
        this(shopId, deliveryKey, contactId, event, profiles, claims, consents, null);
    }

    /** This commit, its deliveries stating {@code at} ({@link #statedAt}). */
    public ContactCommit stating(Instant at) {
        return new ContactCommit(shopId, deliveryKey, contactId, event, profiles, claims, consents, at);
    }

    /**
     * Whether the event is stored at the time each of its deliveries states: its stored key (person, that time, its
     * message id, which its delivery key names) is then the same for every delivery.
     */
    public boolean keyedByItsEvent() {
        return statedAt != null && statedAt.equals(event.timestamp());
    }

    /**
     * @param seenOnly the event moved nothing but when the person was last seen ({@link Contact#seenLaterOnly}): written
     *                 again by a replay, the profile comes out the same, so it needs no transaction with the event
     */
    public record VersionedContact(Contact next, long expectedVersion, boolean seenOnly) {
        public VersionedContact(Contact next, long expectedVersion) {
            this(next, expectedVersion, false);
        }

        /**
         * The event changed nothing worth a write ({@link Contact#worthRewriting}): the profile is left as stored, not
         * rewritten and not checked. An event that only counts (a page view of a known visitor within the hour) is then
         * the marker and the event, two small items, not the profile too.
         */
        public boolean unchanged() {
            return next.version() == expectedVersion;
        }
    }

    /** Point {@code identity} at {@code contactId}; {@code previousContactId} null means it must be unclaimed. */
    public record IdentityClaim(Identity identity, String contactId, String previousContactId) {}
}
