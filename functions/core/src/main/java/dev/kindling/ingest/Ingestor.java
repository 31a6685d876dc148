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
import dev.kindling.json.Json;
import dev.kindling.retry.Backoff;
import dev.kindling.retry.Contended;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Stores one event exactly once and updates its person's profile: look up the identities, plan
 * the change ({@link IdentityResolution}), commit it atomically, publish it. A commit that lost a
 * race is planned again from fresh reads; a delivery seen before is answered as a duplicate and published again
 * (whether the first attempt reached the bus is not recorded: that was a second write of every event, and what
 * subscribes to the bus is idempotent, as it must be for EventBridge's at-least-once delivery anyway).
 */
public final class Ingestor {
    static final int MAX_ATTEMPTS = 25;
    /**
     * How long an event keeps trying against concurrent writers of its profile, beyond {@link #MAX_ATTEMPTS}: eight senders
     * delivering at once for one person win a round about one in eight each, so a fixed count of rounds leaves a sender
     * that keeps losing with an error (25 rounds: 3.5%); eight seconds of rounds leave it about none, inside the ingest
     * function's 15 s and API Gateway's 30 s.
     */
    static final Duration CONTENTION_BUDGET = Duration.ofSeconds(8);

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

        /** @param known the profile it went to existed before it (someone Kindling knew), rather than being made by it */
        record Accepted(String contactId, boolean known) implements Outcome {}

        record Duplicate(String contactId) implements Outcome {}
    }

    public Outcome ingest(String shopId, String deliveryKey, CanonicalEvent event) {
        return ingest(shopId, deliveryKey, event, null);
    }

    /**
     * @param statedAt the time each delivery of the event states (a tracking call's {@code timestamp}, SES's time of an
     *                 open), for an event whose delivery key and message id name each other (a tracking call's, one of
     *                 Kindling's own): stored at that time, the event's own key tells a redelivery
     *                 ({@link ContactCommit#keyedByItsEvent}); null: its deliveries state no such time
     */
    public Outcome ingest(String shopId, String deliveryKey, CanonicalEvent event, Instant statedAt) {
        long deadline = System.nanoTime() + CONTENTION_BUDGET.toNanos(); // real time: the request's own time runs out in it
        for (int attempt = 0; attempt < MAX_ATTEMPTS || System.nanoTime() < deadline; attempt++) {
            ContactCommit commit = plan(shopId, deliveryKey, event).stating(statedAt);
            CommitResult result = store.commit(commit);
            switch (result) {
                case CommitResult.Committed ignored -> {
                    publisher.publish(new PublishedEvent(shopId, commit.contactId(), event, commit.profiles().getFirst().next().doNotSell()));
                    return new Outcome.Accepted(commit.contactId(), joinsKnown(commit));
                }
                case CommitResult.Duplicate duplicate -> {
                    // published again: the first attempt may have stopped before the bus (nothing records that it did not)
                    if (duplicate.contactId() != null) {
                        publisher.publish(new PublishedEvent(shopId, duplicate.contactId(), event,
                                store.current(shopId, duplicate.contactId()).map(Contact::doNotSell).orElse(false)));
                    }
                    return new Outcome.Duplicate(duplicate.contactId());
                }
                case CommitResult.Conflict conflict -> backOff(attempt);
            }
        }
        throw new Contended("profile kept changing under event " + event.messageId() + " for " + CONTENTION_BUDGET.toSeconds() + " s");
    }

    /** An event to store under its delivery's key. */
    public record Delivery(String deliveryKey, CanonicalEvent event) {}

    /**
     * Items one TransactWriteItems takes (DynamoDB's limit is 100), and bytes, under its 4 MB: a batch's commits go in as
     * few transactions as these allow, each person's commits in one.
     */
    static final int MAX_TRANSACTION_ITEMS = 100;
    static final int MAX_TRANSACTION_BYTES = 3 * 1024 * 1024;

    /**
     * Stores a batch of events (an import's) as {@link #ingest} stores each, in a few requests: the identities they name
     * are looked up together, each is planned in turn against what the ones before it did (several rows of one person
     * make one profile write), their commits go in a few all-or-nothing transactions, their bus events in PutEvents of
     * ten and their markers in batch writes. What a transaction cannot take as planned (a delivery seen before, a
     * profile another writer changed) and an event that would merge profiles go through {@link #ingest} one by one, so
     * the outcome of each is what it would have been alone.
     */
    public List<Outcome> ingestAll(String shopId, List<Delivery> deliveries) {
        Outcome[] outcomes = new Outcome[deliveries.size()];
        int from = 0;
        while (from < deliveries.size()) from = ingestFrom(shopId, deliveries, from, outcomes);
        return List.of(outcomes);
    }

    /** A delivery of the batch, at its place, and the commit planned for it. */
    private record Planned(int index, ContactCommit commit) {}

    /** Plans and writes from {@code from} until the end, or until an event must go alone; returns where to go on. */
    private int ingestFrom(String shopId, List<Delivery> deliveries, int from, Outcome[] outcomes) {
        Set<Identity> named = new HashSet<>();
        for (Delivery d : deliveries.subList(from, deliveries.size())) named.addAll(identitiesOf(d.event()));
        Map<Identity, String> owners = new HashMap<>(store.lookup(shopId, named));
        Map<String, Contact> loaded = new HashMap<>();
        Map<String, Integer> firstOfKey = new HashMap<>();
        // the same delivery again in the batch (its place → the first's): answered as a duplicate of the first
        Map<Integer, Integer> repeats = new LinkedHashMap<>();
        List<Planned> planned = new ArrayList<>();
        for (int i = from; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            Integer first = firstOfKey.putIfAbsent(d.deliveryKey(), i);
            if (first != null) {
                repeats.put(i, first);
                continue;
            }
            Map<Identity, String> own = new HashMap<>();
            for (Identity identity : identitiesOf(d.event())) if (owners.containsKey(identity)) own.put(identity, owners.get(identity));
            loadOwners(shopId, own, loaded);
            Set<String> people = new HashSet<>();
            own.values().forEach(owner -> { if (loaded.containsKey(owner)) people.add(loaded.get(owner).contactId()); });
            ContactCommit commit = people.size() > 1 ? null : IdentityResolution.plan(shopId, d.deliveryKey(), d.event(), owners, loaded, newContactId);
            if (commit == null || commit.profiles().size() != 1) {
                // a merge: what came before is written first, then this event alone, and the rest planned afresh after it
                write(shopId, deliveries, planned, repeats, outcomes);
                outcomes[i] = ingest(shopId, d.deliveryKey(), d.event());
                return i + 1;
            }
            Contact next = commit.profiles().getFirst().next();
            loaded.replaceAll((owner, contact) -> contact.contactId().equals(next.contactId()) ? next : contact);
            loaded.put(next.contactId(), next);
            commit.claims().forEach(claim -> owners.put(claim.identity(), claim.contactId()));
            planned.add(new Planned(i, commit));
        }
        write(shopId, deliveries, planned, repeats, outcomes);
        return deliveries.size();
    }

    /** The identities an event names or asks after: what its plan reads the owners of. */
    private static List<Identity> identitiesOf(CanonicalEvent event) {
        List<Identity> identities = new ArrayList<>(Identity.namedBy(event));
        identities.addAll(Identity.lookedUpBy(event));
        return identities;
    }

    /** Writes the planned commits in transactions of whole persons, publishes what was written, and stores the rest alone. */
    private void write(String shopId, List<Delivery> deliveries, List<Planned> planned, Map<Integer, Integer> repeats, Outcome[] outcomes) {
        Map<String, List<Planned>> byPerson = new LinkedHashMap<>();
        for (Planned p : planned) byPerson.computeIfAbsent(p.commit().contactId(), c -> new ArrayList<>()).add(p);
        List<ContactCommit> written = new ArrayList<>();
        List<Planned> group = new ArrayList<>();
        int items = 0, bytes = 0;
        for (List<Planned> person : byPerson.values()) {
            int personItems = 1, personBytes = 0;
            for (Planned p : person) {
                personItems += 2 + p.commit().claims().size() + p.commit().consents().size();
                personBytes += 2 * Json.write(p.commit().event()).length();
            }
            if (!group.isEmpty() && (items + personItems > MAX_TRANSACTION_ITEMS || bytes + personBytes > MAX_TRANSACTION_BYTES)) {
                commitGroup(shopId, deliveries, group, written, outcomes);
                group.clear();
                items = 0;
                bytes = 0;
            }
            group.addAll(person);
            items += personItems;
            bytes += personBytes;
        }
        if (!group.isEmpty()) commitGroup(shopId, deliveries, group, written, outcomes);
        if (!written.isEmpty()) {
            List<BusEvent> events = new ArrayList<>();
            for (ContactCommit c : written) {
                events.add(BusEvent.ingested(new PublishedEvent(shopId, c.contactId(), c.event(), c.profiles().getFirst().next().doNotSell())));
            }
            publisher.publish(events);
        }
        repeats.forEach((i, first) -> outcomes[i] = new Outcome.Duplicate(outcomes[first] == null ? null : outcomes[first].contactId()));
        planned.clear();
        repeats.clear();
    }

    /** One transaction for the group; if it cannot go as planned, each of its deliveries alone. */
    private void commitGroup(String shopId, List<Delivery> deliveries, List<Planned> group, List<ContactCommit> written, Outcome[] outcomes) {
        List<ContactCommit> together = group.stream().map(Planned::commit).toList();
        if (store.commitAll(together) instanceof CommitResult.Committed) {
            written.addAll(together);
            for (Planned p : group) outcomes[p.index()] = new Outcome.Accepted(p.commit().contactId(), joinsKnown(p.commit()));
        } else {
            for (Planned p : group) {
                Delivery d = deliveries.get(p.index());
                outcomes[p.index()] = ingest(shopId, d.deliveryKey(), d.event());
            }
        }
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
        List<Identity> named = identitiesOf(event);
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

    /** Whether the commit writes into a profile that existed (version 0: it makes a new one). */
    private static boolean joinsKnown(ContactCommit commit) {
        return commit.profiles().getFirst().expectedVersion() > 0;
    }

    /** Writers racing on one profile spread out instead of colliding again. */
    private static void backOff(int attempt) {
        Backoff.pause(attempt, 1, 100, "event");
    }
}
