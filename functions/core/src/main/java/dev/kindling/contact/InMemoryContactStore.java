package dev.kindling.contact;

import dev.kindling.contact.ContactCommit.IdentityClaim;
import dev.kindling.contact.ContactCommit.VersionedContact;
import dev.kindling.event.CanonicalEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ContactStore} in memory with the same all-or-nothing and version rules as the DynamoDB
 * one. For tests of the core and for measuring the core's own cost without a database.
 */
public final class InMemoryContactStore implements ContactStore {
    private record Delivery(String contactId, String messageId) {}

    private final Map<String, Contact> contacts = new ConcurrentHashMap<>();
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private final Map<String, List<CanonicalEvent>> events = new ConcurrentHashMap<>();

    @Override
    public Map<Identity, String> lookup(String shopId, Collection<Identity> ids) {
        Map<Identity, String> found = new HashMap<>();
        for (Identity id : ids) {
            String owner = identities.get(shopId + "|" + id.key());
            if (owner != null) found.put(id, owner);
        }
        return found;
    }

    @Override
    public Optional<Contact> get(String shopId, String contactId) {
        return Optional.ofNullable(contacts.get(shopId + "|" + contactId));
    }

    private final Map<String, List<ConsentRecord>> ledger = new HashMap<>();
    @Override
    public synchronized CommitResult commit(ContactCommit commit) {
        String shop = commit.shopId() + "|";
        Delivery seen = deliveries.get(shop + commit.deliveryKey());
        if (seen != null) return new CommitResult.Duplicate(seen.contactId(), seen.messageId());
        for (VersionedContact p : commit.profiles()) {
            if (p.unchanged()) continue;
            Contact current = contacts.get(shop + p.next().contactId());
            long version = current == null ? 0 : current.version();
            if (version != p.expectedVersion()) return new CommitResult.Conflict("profile " + p.next().contactId() + " changed");
        }
        for (IdentityClaim claim : commit.claims()) {
            String owner = identities.get(shop + claim.identity().key());
            boolean expected = owner == null ? claim.previousContactId() == null : owner.equals(claim.previousContactId());
            if (!expected) return new CommitResult.Conflict("identity " + claim.identity().key() + " changed");
        }
        write(commit);
        return new CommitResult.Committed();
    }

    private void write(ContactCommit commit) {
        String shop = commit.shopId() + "|";
        commit.profiles().stream().filter(p -> !p.unchanged()).forEach(p -> contacts.put(shop + p.next().contactId(), p.next()));
        commit.claims().forEach(c -> identities.put(shop + c.identity().key(), c.contactId()));
        deliveries.put(shop + commit.deliveryKey(), new Delivery(commit.contactId(), commit.event().messageId()));
        events.computeIfAbsent(shop + commit.contactId(), k -> new ArrayList<>()).add(commit.event());
        if (!commit.consents().isEmpty()) ledger.computeIfAbsent(shop + commit.contactId(), k -> new ArrayList<>()).addAll(commit.consents());
    }

    @Override
    public synchronized CommitResult commitAll(List<ContactCommit> commits) {
        // every condition first, against the state before the batch (a profile at its first commit's version, an identity at
        // its first claim's owner), then every write
        Set<String> profiles = new HashSet<>(), claimed = new HashSet<>(), keys = new HashSet<>();
        for (ContactCommit commit : commits) {
            String shop = commit.shopId() + "|";
            if (deliveries.containsKey(shop + commit.deliveryKey()) || !keys.add(shop + commit.deliveryKey())) {
                return new CommitResult.Conflict("delivery " + commit.deliveryKey() + " seen before");
            }
            for (VersionedContact p : commit.profiles()) {
                if (p.unchanged() || !profiles.add(shop + p.next().contactId())) continue;
                Contact current = contacts.get(shop + p.next().contactId());
                if ((current == null ? 0 : current.version()) != p.expectedVersion()) return new CommitResult.Conflict("profile " + p.next().contactId() + " changed");
            }
            for (IdentityClaim claim : commit.claims()) {
                if (!claimed.add(shop + claim.identity().key())) continue;
                String owner = identities.get(shop + claim.identity().key());
                boolean expected = owner == null ? claim.previousContactId() == null : owner.equals(claim.previousContactId());
                if (!expected) return new CommitResult.Conflict("identity " + claim.identity().key() + " changed");
            }
        }
        commits.forEach(this::write);
        return new CommitResult.Committed();
    }

    @Override
    public synchronized List<ConsentRecord> consentLedger(String shopId, Collection<String> contactIds) {
        List<ConsentRecord> all = new ArrayList<>();
        contactIds.forEach(id -> all.addAll(ledger.getOrDefault(shopId + "|" + id, List.of())));
        all.sort(Comparator.comparing(ConsentRecord::at));
        return all;
    }

    @Override
    public synchronized boolean recordIgnored(String shopId, String deliveryKey, String reason) {
        return deliveries.putIfAbsent(shopId + "|" + deliveryKey, new Delivery(null, null)) == null;
    }

    @Override
    public synchronized List<CanonicalEvent> recentEvents(String shopId, Collection<String> contactIds, Instant since, int limit) {
        return contactIds.stream()
                .flatMap(id -> events.getOrDefault(shopId + "|" + id, List.of()).stream())
                .filter(e -> since == null || !e.timestamp().isBefore(since))
                .sorted(Comparator.comparing(CanonicalEvent::timestamp).reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<CanonicalEvent> event(String shopId, String contactId, Instant at, String messageId) {
        return events.getOrDefault(shopId + "|" + contactId, List.of()).stream()
                .filter(e -> e.timestamp().equals(at) && e.messageId().equals(messageId)).findFirst();
    }

    public int eventCount() {
        return events.values().stream().mapToInt(List::size).sum();
    }

    public int contactCount() {
        return contacts.size();
    }
}
