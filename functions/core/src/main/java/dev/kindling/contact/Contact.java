package dev.kindling.contact;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventNames;
import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One person in one shop. Immutable: {@link #apply} and {@link #absorb} return the next state,
 * and {@code version} rises by one with each stored change, so stores can refuse a stale write.
 *
 * @param anonymousIds the anonymous ids seen for this person (devices, carts)
 * @param lastSeen     the person's latest own activity, to within {@link #LAST_SEEN_PRECISION}
 * @param mergedFrom   ids of profiles merged into this one; their events still belong to this person
 * @param mergedInto   set on a profile that was merged away, naming the survivor
 */
public record Contact(
        String shopId,
        String contactId,
        long version,
        String userId,
        String email,
        List<String> anonymousIds,
        Traits traits,
        Map<String, Consent> consent,
        Commerce commerce,
        Instant firstSeen,
        Instant lastSeen,
        List<String> mergedFrom,
        String mergedInto) {

    /**
     * How far {@code lastSeen} may lag behind the person's latest activity: an event that would move it less, and
     * changes nothing else, leaves the profile as stored ({@link #worthRewriting}). Segments and retention read it in
     * days and hours; the hourly refresh is no finer.
     */
    public static final Duration LAST_SEEN_PRECISION = Duration.ofHours(1);

    /** How many anonymous ids a profile keeps; the oldest go first (their identity items still point here). */
    static final int MAX_ANONYMOUS_IDS = 50;

    public static Contact create(String shopId, String contactId) {
        return new Contact(shopId, contactId, 0, null, null, List.of(), Traits.EMPTY, Map.of(), Commerce.NONE,
                null, null, List.of(), null);
    }

    /** Every identity this profile can be found by. */
    public List<Identity> identities() {
        List<Identity> ids = new ArrayList<>();
        if (userId != null) ids.add(Identity.user(userId));
        if (email != null) ids.add(Identity.email(email));
        anonymousIds.forEach(a -> ids.add(Identity.anonymous(a)));
        return ids;
    }

    @JsonIgnore
    public boolean isKnown() {
        return userId != null || email != null;
    }

    /** The person said "do not sell or share my personal information" (CCPA): no outbound integration may receive their data. */
    public boolean doNotSell() {
        Consent sale = consent.get(ConsentChange.SALE_AND_SHARING);
        return sale != null && sale.state() == ConsentChange.State.withdrawn;
    }

    /** This profile with the event's facts applied: identities, traits, consent, purchases, activity. */
    public Contact apply(CanonicalEvent event) {
        // A claim (the public write key, a browser) may add an email or a name the profile lacks, never replace one, so
        // nobody with the write key can redirect a customer's email or rename them; nor does it make or change orders.
        boolean unauthenticated = event.trust().isClaim();
        String nextEmail = event.email() == null || (unauthenticated && email != null) ? email : Identity.normaliseEmail(event.email());
        Set<String> anons = new LinkedHashSet<>(anonymousIds);
        if (event.anonymousId() != null) anons.add(event.anonymousId());
        Map<String, Consent> nextConsent = consent;
        for (ConsentChange change : event.consents()) {
            Consent stated = Consent.from(change, event.source().wireName());
            Consent current = nextConsent.get(change.purpose());
            // a sign-up request (pending) from someone already subscribed changes nothing
            boolean downgrade = change.state() == ConsentChange.State.pending && current != null && current.state() == ConsentChange.State.granted;
            if (!downgrade && stated.isNewerThan(current)) {
                Map<String, Consent> changed = new TreeMap<>(nextConsent);
                changed.put(change.purpose(), stated);
                nextConsent = Map.copyOf(changed);
            }
        }
        Instant at = event.timestamp();
        return new Contact(shopId, contactId, version, userId != null ? userId : event.userId(), nextEmail,
                trimmed(anons), unauthenticated ? traits.withNamesKept(event.traits()) : traits.with(event.traits()), nextConsent, commerceAfter(event),
                Commerce.earliest(firstSeen, at), EventNames.isPersonsOwnActivity(event) ? Commerce.latest(lastSeen, at) : lastSeen,
                mergedFrom, mergedInto);
    }

    private Commerce commerceAfter(CanonicalEvent event) {
        if (event.event() == null || event.properties() == null || event.trust().isClaim()) return commerce;
        String orderId = Json.text(event.properties(), "order_id");
        if (orderId == null) return commerce;
        Commerce next = switch (EventNames.commerceEffect(event)) {
            case ORDER -> commerce.withOrder(orderId, Commerce.amount(event.properties(), "total"),
                    Json.text(event.properties(), "currency"), event.timestamp());
            case CANCELLATION -> commerce.withoutOrder(orderId);
            case REFUND, NONE -> commerce;
        };
        return withRefunds(next, orderId, event.properties().path("refunds"));
    }

    /** Refunds ride on order events as {@code refunds: [{refund_id, amount}]}; each counts once however often it is seen. */
    private Commerce withRefunds(Commerce before, String orderId, JsonNode refunds) {
        Commerce after = before;
        for (JsonNode refund : refunds) {
            String refundId = Json.text(refund, "refund_id");
            if (refundId != null) after = after.withRefund(orderId, refundId, Commerce.amount(refund, "amount"));
        }
        return after;
    }

    /** This profile with another profile of the same person folded in; this one's known facts win. */
    public Contact absorb(Contact other) {
        Set<String> anons = new LinkedHashSet<>(anonymousIds);
        anons.addAll(other.anonymousIds);
        Map<String, Consent> mergedConsent = new TreeMap<>(other.consent);
        consent.forEach((purpose, c) -> {
            if (c.isNewerThan(mergedConsent.get(purpose))) mergedConsent.put(purpose, c);
        });
        List<String> merged = new ArrayList<>(mergedFrom);
        merged.add(other.contactId);
        merged.addAll(other.mergedFrom);
        return new Contact(shopId, contactId, version, userId != null ? userId : other.userId,
                email != null ? email : other.email, trimmed(anons), traits.fillFrom(other.traits),
                Map.copyOf(mergedConsent), commerce.plus(other.commerce),
                Commerce.earliest(firstSeen, other.firstSeen), Commerce.latest(lastSeen, other.lastSeen),
                List.copyOf(merged), mergedInto);
    }

    /**
     * Whether {@code next} (this profile with an event applied) is worth writing: it says something this one does not,
     * beyond a {@code lastSeen} less than {@link #LAST_SEEN_PRECISION} later. Most events of a known visitor (page and
     * product views, repeated identifies) change nothing else, and rewriting the profile for each was a third of what an
     * event cost to store.
     */
    public boolean worthRewriting(Contact next) {
        boolean seenLater = next.lastSeen != null && (lastSeen == null || !next.lastSeen.isBefore(lastSeen.plus(LAST_SEEN_PRECISION)));
        return seenLater || !sameBesidesLastSeen(next);
    }

    /**
     * Whether {@code next} differs from this profile in nothing but a later {@code lastSeen}: a change that an event applied
     * twice makes the same (the later of two times), unlike a count, a trait or an identity.
     */
    public boolean seenLaterOnly(Contact next) {
        return next.lastSeen != null && (lastSeen == null || next.lastSeen.isAfter(lastSeen)) && sameBesidesLastSeen(next);
    }

    /** Whether {@code next} says nothing this profile does not, but when the person was last seen (and its version). */
    private boolean sameBesidesLastSeen(Contact next) {
        return next.withVersion(version).withLastSeen(lastSeen).equals(this);
    }

    private Contact withLastSeen(Instant seen) {
        return new Contact(shopId, contactId, version, userId, email, anonymousIds, traits, consent, commerce,
                firstSeen, seen, mergedFrom, mergedInto);
    }

    public Contact mergedInto(String survivorId) {
        return new Contact(shopId, contactId, version, userId, email, anonymousIds, traits, consent, commerce,
                firstSeen, lastSeen, mergedFrom, survivorId);
    }

    public Contact withVersion(long next) {
        return new Contact(shopId, contactId, next, userId, email, anonymousIds, traits, consent, commerce,
                firstSeen, lastSeen, mergedFrom, mergedInto);
    }

    /** Every profile id whose events are this person's. */
    public List<String> historyIds() {
        List<String> ids = new ArrayList<>(mergedFrom.size() + 1);
        ids.add(contactId);
        ids.addAll(mergedFrom);
        return ids;
    }

    private static List<String> trimmed(Set<String> anons) {
        List<String> list = new ArrayList<>(anons);
        return List.copyOf(list.size() <= MAX_ANONYMOUS_IDS ? list : list.subList(list.size() - MAX_ANONYMOUS_IDS, list.size()));
    }
}
