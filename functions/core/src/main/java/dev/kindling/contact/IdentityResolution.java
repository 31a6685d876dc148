package dev.kindling.contact;

import dev.kindling.contact.ContactCommit.IdentityClaim;
import dev.kindling.contact.ContactCommit.VersionedContact;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Decides which profile an event belongs to and what it changes. Pure: the caller looks up the
 * identities and loads the profiles; this returns the commit to write.
 *
 * <p>Rules for <b>authority</b> (signed webhooks, the secret server key, Kindling itself): the identities the
 * event names are looked up, strongest first (user id, email, anonymous id). No profile found: a new one.
 * Profiles found that belong to another known user than the event's are never touched (a shared device or a
 * forwarded link must not join two people). Of the rest, one takes the event; several are the same person and
 * are merged into the one holding the event's user id, else its email, else the known, oldest one. If the rest
 * still hold two different known users, nothing is merged and the strongest match takes the event. Two user ids
 * are one person when an alias says so ({@code alias(previousId: A, userId: B)}): B is claimed for A's profile,
 * and B's later events go there.
 *
 * <p>Rules for a <b>claim</b> (the public write key, a browser): the event goes to the profile holding the
 * strongest identity it names, and that is all. It never merges two profiles, so an identify naming a customer's
 * user id or address cannot fold the caller's profile into the customer's nor the customer's into the caller's;
 * and it claims identities only for a profile nobody knows yet (new or anonymous), so it cannot attach a user id,
 * an address or a device to a known person. The one exception is a user id the shop's server vouched for
 * ({@link CanonicalEvent#userVerified()}, Intercom's {@code user_hash}): then the anonymous profiles the event
 * names are the same person as the user's, and are merged into it. The identities a claim may not claim are
 * left out of what it applies, so the profile does not list them either.
 */
public final class IdentityResolution {

    private IdentityResolution() {}

    /** Identities whose owners {@link #plan} needs to know: the event's, and those of profiles it may merge. */
    public static Set<Identity> identitiesToLookUp(CanonicalEvent event, Iterable<Contact> candidates) {
        Set<Identity> ids = new LinkedHashSet<>(Identity.namedBy(event));
        ids.addAll(Identity.lookedUpBy(event));
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
        if (event.trust().isClaim()) return planClaim(shopId, deliveryKey, event, owners, loaded, newContactId);
        List<Identity> lookedUp = new ArrayList<>(Identity.namedBy(event));
        lookedUp.addAll(Identity.lookedUpBy(event));

        Map<String, Contact> candidates = new LinkedHashMap<>();
        Contact ownerOfEventsUser = event.userId() == null ? null : loaded.get(owners.get(Identity.user(event.userId())));
        for (Identity identity : lookedUp) {
            Contact owner = loaded.get(owners.get(identity));
            if (owner == null) continue;
            // alias says in so many words that previousId is this person, even when it is another user id
            boolean aliased = event.type() == EventType.ALIAS && Identity.lookedUpBy(event).contains(identity);
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
                target = all.stream().min(survivorOrder(owners, event)).orElseThrow();
                for (Contact c : all) if (c != target) absorbed.add(c);
            }
        }

        // An address belongs to one person. When it is owned by a profile this event does not join (another known user),
        // that profile keeps it and the one taking the event does not get it too: two profiles with one address would
        // both be mailed, and one person would get every email twice.
        CanonicalEvent applied = event;
        String emailOwner = event.email() == null ? null : owners.get(Identity.email(event.email()));
        Contact ownerProfile = emailOwner == null ? null : loaded.get(emailOwner);
        if (ownerProfile != null && !ownerProfile.contactId().equals(target.contactId()) && !absorbed.contains(ownerProfile)) {
            applied = event.naming(event.userId(), null, event.anonymousId());
        }
        return commit(shopId, deliveryKey, event, applied, target, absorbed, owners, loaded);
    }

    /**
     * A claim's plan (see the class comment): the profile holding the strongest identity named takes the event; only
     * a vouched-for user id merges, and only anonymous profiles into the user's.
     */
    private static ContactCommit planClaim(String shopId, String deliveryKey, CanonicalEvent event, Map<Identity, String> owners,
                                           Map<String, Contact> loaded, Supplier<String> newContactId) {
        List<Identity> lookedUp = new ArrayList<>(Identity.namedBy(event));
        lookedUp.addAll(Identity.lookedUpBy(event));
        Contact target = claimTarget(event, owners, loaded);
        List<Contact> absorbed = new ArrayList<>();
        if (event.userVerified() && event.userId() != null) {
            Contact user = loaded.get(owners.get(Identity.user(event.userId())));
            Map<String, Contact> anonymous = new LinkedHashMap<>();
            for (Identity identity : lookedUp) {
                Contact owner = loaded.get(owners.get(identity));
                if (owner != null && !owner.isKnown() && owner != user) anonymous.putIfAbsent(owner.contactId(), owner);
            }
            List<Contact> rest = new ArrayList<>(anonymous.values());
            target = user != null ? user : rest.isEmpty() ? null : rest.removeFirst();
            absorbed.addAll(rest);
        }
        boolean fresh = target == null;
        if (fresh) target = Contact.create(shopId, newContactId.get());
        // what a claim may claim: unowned identities, for a profile nobody knows yet, or the vouched-for user's own
        boolean mayClaim = fresh || !target.isKnown() || event.userVerified() && event.userId() != null
                && event.userId().equals(target.userId());
        Contact targetProfile = target;
        Predicate<Identity> belongs = identity -> {
            String owner = owners.get(identity);
            if (owner == null) return mayClaim && !(identity.kind() == Identity.Kind.EMAIL && targetProfile.email() != null);
            Contact holder = loaded.get(owner);
            return holder == targetProfile || absorbed.contains(holder);
        };
        CanonicalEvent applied = event.naming(
                event.userId() != null && belongs.test(Identity.user(event.userId())) ? event.userId() : null,
                event.email() != null && belongs.test(Identity.email(event.email())) ? event.email() : null,
                event.anonymousId() != null && belongs.test(Identity.anonymous(event.anonymousId())) ? event.anonymousId() : null);

        return commit(shopId, deliveryKey, event, applied, target, absorbed, owners, loaded);
    }

    /**
     * The commit of a plan: the target with the absorbed profiles folded in and the event applied (as {@code applied},
     * naming only the identities it may give the target), the absorbed profiles marked merged, and a claim for every
     * identity the target takes: unowned ones, and those of the profiles it absorbed.
     */
    private static ContactCommit commit(String shopId, String deliveryKey, CanonicalEvent event, CanonicalEvent applied, Contact target,
                                        List<Contact> absorbed, Map<Identity, String> owners, Map<String, Contact> loaded) {
        Contact next = target;
        for (Contact other : absorbed) next = next.absorb(other);
        Contact before = next;
        next = next.apply(applied);
        List<VersionedContact> profiles = new ArrayList<>();
        // a stored profile the event only counts in (nothing merged, nothing new) stays as it is: see VersionedContact.unchanged
        boolean rewrite = target.version() == 0 || !absorbed.isEmpty() || target.worthRewriting(next);
        boolean seenOnly = target.version() > 0 && absorbed.isEmpty() && target.seenLaterOnly(next);
        profiles.add(rewrite ? new VersionedContact(next.withVersion(target.version() + 1), target.version(), seenOnly)
                : new VersionedContact(target, target.version()));
        for (Contact other : absorbed) {
            profiles.add(new VersionedContact(other.mergedInto(target.contactId()).withVersion(other.version() + 1), other.version()));
        }
        Set<Identity> wanted = new LinkedHashSet<>(Identity.namedBy(applied));
        absorbed.forEach(c -> wanted.addAll(c.identities()));
        List<IdentityClaim> claims = new ArrayList<>();
        for (Identity identity : wanted) {
            String owner = owners.get(identity);
            // owned by the target already, or by someone we did not merge: left as it is
            if (owner == null || absorbed.contains(loaded.get(owner))) claims.add(new IdentityClaim(identity, target.contactId(), owner));
        }
        return new ContactCommit(shopId, deliveryKey, target.contactId(), event, List.copyOf(profiles), List.copyOf(claims),
                ConsentRecord.of(event, before, next));
    }

    /**
     * The profile a claim lands on: the one holding its user id; else the one holding its address, unless that is
     * another known user's; else the device's (anonymous id, or alias's previous id), when the device's profile is
     * anonymous or the claim names nobody else. A device another known person used, named with a new user id or
     * address, is someone else's: null, a new profile.
     */
    private static Contact claimTarget(CanonicalEvent event, Map<Identity, String> owners, Map<String, Contact> loaded) {
        if (event.userId() != null) {
            Contact user = loaded.get(owners.get(Identity.user(event.userId())));
            if (user != null) return user;
        }
        if (event.email() != null) {
            Contact holder = loaded.get(owners.get(Identity.email(event.email())));
            if (holder != null && !isOtherUser(holder, event)) return holder;
        }
        boolean namesSomeone = event.userId() != null || event.email() != null;
        List<Identity> devices = new ArrayList<>(Identity.lookedUpBy(event));
        if (event.anonymousId() != null) devices.addFirst(Identity.anonymous(event.anonymousId()));
        for (Identity device : devices) {
            Contact holder = loaded.get(owners.get(device));
            if (holder != null && (!holder.isKnown() || !namesSomeone)) return holder;
        }
        return null;
    }

    private static boolean isOtherUser(Contact contact, CanonicalEvent event) {
        return event.userId() != null && contact.userId() != null && !contact.userId().equals(event.userId());
    }

    /**
     * Which of several profiles of one person survives a merge: the one holding the event's user id, then the one
     * holding its address (what the authority names), then a known profile over an anonymous one, then the oldest.
     */
    private static Comparator<Contact> survivorOrder(Map<Identity, String> owners, CanonicalEvent event) {
        String userOwner = event.userId() == null ? null : owners.get(Identity.user(event.userId()));
        String emailOwner = event.email() == null ? null : owners.get(Identity.email(event.email()));
        return Comparator.comparing((Contact c) -> c.contactId().equals(userOwner) ? 0 : 1)
                .thenComparing(c -> c.contactId().equals(emailOwner) ? 0 : 1)
                .thenComparing(c -> c.isKnown() ? 0 : 1)
                .thenComparing(c -> c.firstSeen() == null ? Instant.MAX : c.firstSeen())
                .thenComparing(Contact::contactId);
    }
}
