package dev.kindling.contact;

import dev.kindling.event.CanonicalEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where profiles, their identities and their events live. Implemented over DynamoDB and in memory. */
public interface ContactStore {

    /** The contact id each known identity points at; unknown identities are absent from the result. */
    Map<Identity, String> lookup(String shopId, Collection<Identity> identities);

    Optional<Contact> get(String shopId, String contactId);

    /** The profile that carries this person now: an id merged away leads to its survivor. */
    default Optional<Contact> current(String shopId, String contactId) {
        Optional<Contact> contact = get(shopId, contactId);
        for (int hops = 0; hops < 8 && contact.isPresent() && contact.get().mergedInto() != null; hops++) {
            contact = get(shopId, contact.get().mergedInto());
        }
        return contact;
    }

    /**
     * Writes the whole commit or nothing: the delivery's dedupe marker (must not exist), the event,
     * each changed profile (at its expected version; one the event left {@linkplain ContactCommit.VersionedContact#unchanged
     * unchanged} is neither written nor checked) and each identity claim (at its expected owner).
     */
    CommitResult commit(ContactCommit commit);

    /**
     * Writes several commits (a batch of an import) all together or not at all, in one request: each delivery's marker
     * and event, each profile once (as the last commit leaves it, at the version the first read it at) and each identity
     * claim once. {@link CommitResult.Committed}, or {@link CommitResult.Conflict} when any condition failed (a delivery
     * seen before, a profile or identity that changed): nothing was written, and the caller stores them one by one.
     */
    CommitResult commitAll(List<ContactCommit> commits);

    /** Records a delivery we accept but do not store as an event (e.g. an unknown webhook topic). False if seen before. */
    boolean recordIgnored(String shopId, String deliveryKey, String reason);

    /** The newest events of the given profiles, newest first. */
    default List<CanonicalEvent> recentEvents(String shopId, Collection<String> contactIds, int limit) {
        return recentEvents(shopId, contactIds, null, limit);
    }

    /** The newest events of the given profiles at or after {@code since} (null: any age), newest first. */
    List<CanonicalEvent> recentEvents(String shopId, Collection<String> contactIds, Instant since, int limit);

    /** One stored event of a profile, by when it happened and its message id; empty once erased or expired. */
    Optional<CanonicalEvent> event(String shopId, String contactId, Instant at, String messageId);

    /** Every consent statement that changed a purpose of these profiles, oldest first: the evidence GDPR asks for. Kept as long as the profile. */
    List<ConsentRecord> consentLedger(String shopId, Collection<String> contactIds);

    sealed interface CommitResult {
        record Committed() implements CommitResult {}

        /**
         * The delivery was stored before. Whether its event reached the bus is not recorded (that would be a second write
         * of every event): the caller publishes it again, and what subscribes is idempotent.
         */
        record Duplicate(String contactId, String messageId) implements CommitResult {}

        /** A profile or identity changed since it was read: read again and retry. */
        record Conflict(String reason) implements CommitResult {}
    }
}
