package dev.kindling.audience;

import dev.kindling.retry.OptimisticWrites;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.clv.ClvModels;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.event.Stored;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.ScoreStore;
import dev.kindling.segment.ContactChange;
import dev.kindling.segment.Evaluator;
import dev.kindling.segment.Facts;
import dev.kindling.segment.MembershipStore;
import dev.kindling.segment.SegmentDefinition;
import dev.kindling.segment.SegmentIndex;
import dev.kindling.settings.ShopSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The segment-evaluation step: after a contact changes, evaluates the segments that change can
 * affect (and only those), stores the memberships that flipped and publishes
 * {@code segment.entered} / {@code segment.exited}. The scheduled refresh settles memberships
 * through the same {@link #settle} path.
 */
public final class SegmentEvaluation {
    /** Memberships written in one transaction (DynamoDB allows 100 items; one is the contact's own). */
    static final int CHANGES_PER_WRITE = 90;
    static final int EVENTS_READ = 1000;

    private final ContactStore contacts;
    private final ScoreStore scores;
    private final MembershipStore memberships;
    private final ShopSettings settings;
    private final EventPublisher bus;
    private final Clock clock;
    private final ClvModels clv;

    public SegmentEvaluation(ContactStore contacts, ScoreStore scores, MembershipStore memberships, ShopSettings settings,
                             ClvModels clv, EventPublisher bus, Clock clock) {
        this.clv = clv;
        this.contacts = contacts;
        this.scores = scores;
        this.memberships = memberships;
        this.settings = settings;
        this.bus = bus;
        this.clock = clock;
    }

    /** What one settle did. */
    public record Outcome(List<String> entered, List<String> exited) {
        static final Outcome NONE = new Outcome(List.of(), List.of());
    }

    /** Re-evaluates the segments {@code change} can affect; nothing is read when no segment reads what changed. */
    public Outcome onChange(String shopId, String contactId, ContactChange change) {
        return onChange(shopId, contactId, () -> contacts.current(shopId, contactId), change);
    }

    /**
     * As above, the first attempt starting from {@code person}: the contact as the caller read it for this change (empty:
     * nothing stored), asked for only when a segment reads what changed.
     */
    public Outcome onChange(String shopId, String contactId, Supplier<Optional<Contact>> person, ContactChange change) {
        ShopSettings.Snapshot snapshot = settings.current(shopId);
        List<SegmentDefinition> affected = snapshot.segments().affectedBy(change);
        if (affected.isEmpty()) return Outcome.NONE;
        return evaluate(shopId, snapshot, contactId, person, affected, change.historical());
    }

    /** Reads the contact and settles the given segments of that settings snapshot, retrying when a concurrent write came first. */
    Outcome evaluate(String shopId, ShopSettings.Snapshot snapshot, String contactId, List<SegmentDefinition> which) {
        return evaluate(shopId, snapshot, contactId, () -> contacts.current(shopId, contactId), which, false);
    }

    /** As above; {@code historical}: an imported event caused it, so what flips says so and starts no journey. */
    private Outcome evaluate(String shopId, ShopSettings.Snapshot snapshot, String contactId, Supplier<Optional<Contact>> person,
                             List<SegmentDefinition> which, boolean historical) {
        Duration lookback = SegmentIndex.lookback(which);
        List<String> entered = new ArrayList<>(), exited = new ArrayList<>();
        boolean[] more = {true};
        Supplier<Optional<Contact>> read = () -> contacts.current(shopId, contactId);
        for (Supplier<Optional<Contact>> first = person; more[0]; first = read) {
            OptimisticWrites.untilWritten("the segments of contact " + contactId, first, read, found -> {
                Contact contact = found.orElse(null);
                if (contact == null) {
                    more[0] = false;
                    return true;
                }
                Stored<Map<String, Instant>> stored = memberships.memberships(shopId, contact.contactId());
                flush(shopId, contact.contactId(), stored);
                Instant now = clock.instant();
                List<CanonicalEvent> events = lookback == null ? List.of()
                        : contacts.recentEvents(shopId, contact.historyIds(), now.minus(lookback), EVENTS_READ);
                Outcome outcome = settle(shopId, snapshot, contact, scores.scores(shopId, contact.contactId()).value(), stored, events,
                        which, now, historical);
                if (outcome == null) return false;
                entered.addAll(outcome.entered());
                exited.addAll(outcome.exited());
                more[0] = outcome.entered().size() + outcome.exited().size() == CHANGES_PER_WRITE;
                return true;
            });
        }
        return new Outcome(List.copyOf(entered), List.copyOf(exited));
    }

    /**
     * Evaluates {@code which} (in index order, so a referenced segment is settled first) over facts
     * the caller read, and stores what flipped. Null when another write came first.
     */
    Outcome settle(String shopId, ShopSettings.Snapshot snapshot, Contact contact, ScoreState scoreState,
                   Stored<Map<String, Instant>> stored, List<CanonicalEvent> events, List<SegmentDefinition> which, Instant now) {
        return settle(shopId, snapshot, contact, scoreState, stored, events, which, now, false);
    }

    private Outcome settle(String shopId, ShopSettings.Snapshot snapshot, Contact contact, ScoreState scoreState,
                           Stored<Map<String, Instant>> stored, List<CanonicalEvent> events, List<SegmentDefinition> which, Instant now,
                           boolean historical) {
        Map<String, Instant> next = new LinkedHashMap<>();
        stored.value().forEach((id, since) -> { if (snapshot.segments().holds(id, since)) next.put(id, since); });
        // memberships of deleted segments go quietly (the delete's drop takes them off the members list; the report
        // counts each segment as made apart), and so do those a segment made again under the id does not hold: its
        // members enter it anew
        boolean dropped = next.size() != stored.value().size();

        Set<String> in = new HashSet<>(next.keySet());
        Facts facts = new Facts(contact, scoreState.pointsAt(snapshot.scoring(), now), scoreState.stage(), in, events, now, () -> clv.current(shopId));
        List<String> entered = new ArrayList<>(), exited = new ArrayList<>();
        Map<String, SegmentDefinition> flipped = new LinkedHashMap<>();
        for (SegmentDefinition segment : which) {
            if (entered.size() + exited.size() == CHANGES_PER_WRITE) break;
            boolean member = Evaluator.matches(segment.condition(), facts);
            if (member == in.contains(segment.id())) continue;
            flipped.put(segment.id(), segment);
            if (member) {
                in.add(segment.id());
                next.put(segment.id(), now);
                entered.add(segment.id());
            } else {
                in.remove(segment.id());
                next.remove(segment.id());
                exited.add(segment.id());
            }
        }
        if (entered.isEmpty() && exited.isEmpty() && !dropped) return Outcome.NONE;
        long version = stored.version() + 1;
        List<BusEvent> out = new ArrayList<>();
        entered.forEach(id -> out.add(event(BusEvent.SEGMENT_ENTERED, shopId, contact, flipped.get(id), version, now, historical)));
        exited.forEach(id -> out.add(event(BusEvent.SEGMENT_EXITED, shopId, contact, flipped.get(id), version, now, historical)));
        if (!memberships.commit(shopId, contact.contactId(), stored.version(), next, entered, exited, out)) return null;
        flush(shopId, contact.contactId(), new Stored<>(next, version, out));
        return new Outcome(entered, exited);
    }

    private void flush(String shopId, String contactId, Stored<Map<String, Instant>> stored) {
        if (stored.pending().isEmpty()) return;
        bus.publish(stored.pending());
        memberships.published(shopId, contactId, stored.version());
    }

    private static BusEvent event(String type, String shopId, Contact contact, SegmentDefinition segment, long version, Instant now,
                                  boolean historical) {
        String verb = type.equals(BusEvent.SEGMENT_ENTERED) ? "entered" : "exited";
        ObjectNode detail = ScoreUpdate.detail(contact.contactId() + ":" + segment.id() + ":" + verb + ":" + version, shopId,
                contact.contactId(), now);
        detail.put("segmentId", segment.id()).put("segmentName", segment.name());
        // which segment of that id (one deleted and made again is another): the report counts its members apart
        if (segment.createdAt() != null) detail.put("segmentCreatedAt", segment.createdAt().toString());
        if (contact.email() != null) detail.put("email", contact.email());
        // an audience sync (an ad platform's custom audience) is "sharing" under the CCPA: its rule leaves these out
        detail.put("doNotSell", contact.doNotSell());
        ScoreUpdate.markHistorical(detail, historical);
        return new BusEvent(BusEvent.SEGMENTS, type, now, detail);
    }
}
