package dev.kindling.contact;

import dev.kindling.contact.ContactCommit.IdentityClaim;
import dev.kindling.contact.ContactCommit.VersionedContact;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides which profile an event belongs to and what it changes. Pure: the caller looks up the
 * identities and loads the profiles; this returns the commit to write.
 *
 * <p>Rules: the identities the event names are looked up, strongest first (user id, email,
 * anonymous id). No profile found: a new one. Profiles found that belong to another known user
 * than the event's are never touched (a shared device or a forwarded link must not join two
 * people). Of the rest, one takes the event; several are the same person and are merged into the
 * known, oldest one — this is how identify and alias fold anonymous history into a customer. If
 * the rest still hold two different known users, nothing is merged and the strongest match takes
 * the event. Two user ids are one person when an alias says so ({@code alias(previousId: A,
 * userId: B)}): B is claimed for A's profile, and B's later events go there.
 */
public final class IdentityResolution {

    private IdentityResolution() {}

    /** Identities whose owners {@link #plan} needs to know: the event's, and those of profiles it may merge. */
    public static Set<Identity> identitiesToLookUp(CanonicalEvent event, Iterable<Contact> candidates) {
        Set<Identity> ids = new LinkedHashSet<>(event.identities());
        ids.addAll(event.lookupOnlyIdentities());
        for (Contact c : candidates) ids.addAll(c.identities());
        return ids;
    }

    /**
     * @param owners the owner of every identity named by the event and every identity of the loaded profiles
     *               (absent: unclaimed)
     * @param loaded the profiles by the ids owners name; an id merged away maps to its survivor
     */
    public static ContactCommit plan(String shopId, String deliveryKey, CanonicalEvent event,
                                     Map<Identity, String> owners, Map<String, Contact> loaded,
                                     Supplier<String> newContactId) {
        List<Identity> lookedUp = new ArrayList<>(event.identities());
        lookedUp.addAll(event.lookupOnlyIdentities());

        Map<String, Contact> candidates = new LinkedHashMap<>();
        Contact ownerOfEventsUser = event.userId() == null ? null : loaded.get(owners.get(Identity.user(event.userId())));
        for (Identity identity : lookedUp) {
            Contact owner = loaded.get(owners.get(identity));
            if (owner == null) continue;
            // alias says in so many words that previousId is this person, even when it is another user id
            boolean aliased = event.type() == EventType.ALIAS && event.lookupOnlyIdentities().contains(identity);
            if (aliased || owner == ownerOfEventsUser || !isOtherUser(owner, event)) candidates.putIfAbsent(owner.contactId(), owner);
        }

        Contact target;
        List<Contact> absorbed = new ArrayList<>();
        if (candidates.isEmpty()) {
            target = Contact.create(shopId, newContactId.get());
        } else {
            List<Contact> all = List.copyOf(candidates.values());
            long users = all.stream().map(Contact::userId).filter(Objects::nonNull).distinct().count();
            if (users > 1) {
                target = all.getFirst();
            } else {
                target = all.stream().min(survivorOrder()).orElseThrow();
                for (Contact c : all) if (c != target) absorbed.add(c);
            }
        }

        Contact next = target;
        for (Contact other : absorbed) next = next.absorb(other);
        Contact before = next;
        // An address belongs to one person. When it is owned by a profile this event does not join (another known user),
        // that profile keeps it and the one taking the event does not get it too: two profiles with one address would
        // both be mailed, and one person would get every email twice.
        CanonicalEvent applied = event;
        String emailOwner = event.email() == null ? null : owners.get(Identity.email(event.email()));
        Contact ownerProfile = emailOwner == null ? null : loaded.get(emailOwner);
        if (ownerProfile != null && !ownerProfile.contactId().equals(target.contactId()) && !absorbed.contains(ownerProfile)) {
            applied = new CanonicalEvent(event.messageId(), event.type(), event.event(), event.userId(), event.anonymousId(), null,
                    event.previousId(), event.properties(), event.traits(), event.context(), event.consent(), event.timestamp(),
                    event.receivedAt(), event.source(), event.externalIds());
        }
        next = next.apply(applied);

        List<VersionedContact> profiles = new ArrayList<>();
        profiles.add(new VersionedContact(next.withVersion(target.version() + 1), target.version()));
        for (Contact other : absorbed) {
            profiles.add(new VersionedContact(other.mergedInto(target.contactId()).withVersion(other.version() + 1),
                    other.version()));
        }

        Set<Identity> wanted = new LinkedHashSet<>(applied.identities());
        // an unauthenticated call cannot attach another address to a profile that has one (see Contact.apply)
        if (event.source() == Source.TRACKING && applied.email() != null && target.email() != null
                && !target.email().equals(Identity.normaliseEmail(event.email()))) {
            wanted.remove(Identity.email(event.email()));
        }
        absorbed.forEach(c -> wanted.addAll(c.identities()));
        List<IdentityClaim> claims = new ArrayList<>();
        for (Identity identity : wanted) {
            String owner = owners.get(identity);
            if (owner == null || absorbed.contains(loaded.get(owner))) {
                claims.add(new IdentityClaim(identity, target.contactId(), owner));
            }
            // owned by the target already, or by someone we did not merge: leave it
        }
        return new ContactCommit(shopId, deliveryKey, target.contactId(), event, List.copyOf(profiles), List.copyOf(claims),
                ConsentRecord.of(event, before, next).orElse(null));
    }

    private static boolean isOtherUser(Contact contact, CanonicalEvent event) {
        return event.userId() != null && contact.userId() != null && !contact.userId().equals(event.userId());
    }

    /** Known profiles survive over anonymous ones, then the oldest. */
    private static Comparator<Contact> survivorOrder() {
        return Comparator.comparing((Contact c) -> c.isKnown() ? 0 : 1)
                .thenComparing(c -> c.firstSeen() == null ? Instant.MAX : c.firstSeen())
                .thenComparing(Contact::contactId);
    }
}
