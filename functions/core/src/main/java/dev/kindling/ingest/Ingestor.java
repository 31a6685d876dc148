package dev.kindling.ingest;

import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactCommit;
import dev.kindling.contact.ContactStore;
import dev.kindling.contact.ContactStore.CommitResult;
import dev.kindling.contact.Identity;
import dev.kindling.contact.IdentityResolution;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.event.EventPublisher.PublishedEvent;
import dev.kindling.retry.Backoff;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Stores one event exactly once and updates its person's profile: look up the identities, plan
 * the change ({@link IdentityResolution}), commit it atomically, publish it. A commit that lost a
 * race is planned again from fresh reads; a delivery seen before is answered as a duplicate (and
 * published again only if the first attempt never reached the bus).
 */
public final class Ingestor {
    static final int MAX_ATTEMPTS = 25;

    private final ContactStore store;
    private final EventPublisher publisher;
    private final Supplier<String> newContactId;

    public Ingestor(ContactStore store, EventPublisher publisher) {
        this(store, publisher, () -> UUID.randomUUID().toString());
    }

    public Ingestor(ContactStore store, EventPublisher publisher, Supplier<String> newContactId) {
        this.store = store;
        this.publisher = publisher;
        this.newContactId = newContactId;
    }

    public sealed interface Outcome {
        String contactId();

        record Accepted(String contactId) implements Outcome {}

        record Duplicate(String contactId) implements Outcome {}
    }

    public Outcome ingest(String shopId, String deliveryKey, CanonicalEvent event) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            ContactCommit commit = plan(shopId, deliveryKey, event);
            CommitResult result = store.commit(commit);
            switch (result) {
                case CommitResult.Committed ignored -> {
                    publish(shopId, deliveryKey, commit.contactId(), event, commit.profiles().getFirst().next().doNotSell());
                    return new Outcome.Accepted(commit.contactId());
                }
                case CommitResult.Duplicate duplicate -> {
                    if (!duplicate.published()) {
                        publish(shopId, deliveryKey, duplicate.contactId(), event,
                                store.current(shopId, duplicate.contactId()).map(Contact::doNotSell).orElse(false));
                    }
                    return new Outcome.Duplicate(duplicate.contactId());
                }
                case CommitResult.Conflict conflict -> backOff(attempt);
            }
        }
        throw new IllegalStateException("profile kept changing under event " + event.messageId() + "; the sender will retry");
    }

    /**
     * Passes a delivery on to the bus as it is (a privacy request: it names a person, it is not their event), then
     * records it; false if it was seen before. Published before it is recorded, so a failure in between is retried
     * (a repeat is harmless: what subscribes is idempotent).
     */
    public boolean relay(String shopId, String deliveryKey, BusEvent event) {
        publisher.publish(List.of(event));
        return store.recordIgnored(shopId, deliveryKey, event.detailType());
    }

    /** Records a delivery we accept and do not store as an event; false if it was seen before. */
    public boolean recordIgnored(String shopId, String deliveryKey, String reason) {
        return store.recordIgnored(shopId, deliveryKey, reason);
    }

    private ContactCommit plan(String shopId, String deliveryKey, CanonicalEvent event) {
        List<Identity> named = new ArrayList<>(Identity.namedBy(event));
        named.addAll(Identity.lookedUpBy(event));
        Map<Identity, String> owners = new HashMap<>(store.lookup(shopId, named));
        // Keyed by the id an identity points at; a profile merged away is read as its survivor.
        Map<String, Contact> loaded = new HashMap<>();
        loadOwners(shopId, owners, loaded);
        Set<Contact> people = Set.copyOf(loaded.values());
        if (people.size() > 1) {
            // A merge is coming: its claims need the owners of every identity of the profiles involved.
            Set<Identity> all = IdentityResolution.identitiesToLookUp(event, people);
            all.removeAll(owners.keySet());
            if (!all.isEmpty()) {
                owners.putAll(store.lookup(shopId, all));
                loadOwners(shopId, owners, loaded);
            }
        }
        return IdentityResolution.plan(shopId, deliveryKey, event, owners, loaded, newContactId);
    }

    private void loadOwners(String shopId, Map<Identity, String> owners, Map<String, Contact> loaded) {
        for (String owner : owners.values()) {
            if (!loaded.containsKey(owner)) store.current(shopId, owner).ifPresent(c -> loaded.put(owner, c));
        }
    }

    /** Writers racing on one profile spread out instead of colliding again. */
    private static void backOff(int attempt) {
        Backoff.pause(attempt, 1, 100, "event");
    }

    private void publish(String shopId, String deliveryKey, String contactId, CanonicalEvent event, boolean doNotSell) {
        publisher.publish(new PublishedEvent(shopId, contactId, event, doNotSell));
        store.markPublished(shopId, deliveryKey);
    }
}
