package dev.kindling.contact;

import dev.kindling.event.CanonicalEvent;
import java.util.List;

/**
 * Everything one event changes, written atomically.
 *
 * @param deliveryKey the dedupe key of the delivery, stable across retries (e.g. {@code shopify:<webhook id>})
 * @param profiles    each changed profile with the version it was read at (0: must not exist yet)
 * @param claims      identities to point at a profile
 * @param consents    the consent ledger entries: one for each purpose whose consent the event changed
 */
public record ContactCommit(
        String shopId,
        String deliveryKey,
        String contactId,
        CanonicalEvent event,
        List<VersionedContact> profiles,
        List<IdentityClaim> claims,
        List<ConsentRecord> consents) {

    public ContactCommit {
        consents = consents == null ? List.of() : List.copyOf(consents);
    }

    public record VersionedContact(Contact next, long expectedVersion) {}

    /** Point {@code identity} at {@code contactId}; {@code previousContactId} null means it must be unclaimed. */
    public record IdentityClaim(Identity identity, String contactId, String previousContactId) {}
}
