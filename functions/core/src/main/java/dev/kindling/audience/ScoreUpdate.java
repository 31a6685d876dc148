package dev.kindling.audience;

import dev.kindling.retry.OptimisticWrites;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.event.Stored;
import dev.kindling.json.Json;
import dev.kindling.lazy.Lazy;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.ScoreState.StageChange;
import dev.kindling.scoring.ScoreStore;
import dev.kindling.scoring.Scorer;
import dev.kindling.scoring.ScoringModel;
import dev.kindling.scoring.ScoreSummary;
import dev.kindling.segment.ContactChange;
import dev.kindling.settings.ShopSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The score-update step: applies an ingested event to the contact's scores and stage with the
 * shop's scoring model, stores the result at the version it read (retrying when a concurrent event
 * won), then publishes {@code score.changed} and {@code stage.changed}.
 */
public final class ScoreUpdate {
    /** The stage rules read at most this many of the newest events. */
    static final int EVENTS_READ = 500;

    private final ContactStore contacts;
    private final ScoreStore scores;
    private final ShopSettings settings;
    private final EventPublisher bus;
    private final Clock clock;

    public ScoreUpdate(ContactStore contacts, ScoreStore scores, ShopSettings settings, EventPublisher bus, Clock clock) {
        this.contacts = contacts;
        this.scores = scores;
        this.settings = settings;
        this.bus = bus;
        this.clock = clock;
    }

    /**
     * Applies {@code event} (null: only re-checks the stage rules time can fire) to the contact.
     * An event applied before (by message id) changes nothing.
     */
    public void apply(String shopId, String contactId, CanonicalEvent event) {
        if (event != null && event.historical()) {
            applyHistory(shopId, contactId, List.of(event));
            return;
        }
        apply(shopId, contactId, () -> contacts.current(shopId, contactId), event);
    }

    /**
     * As above for a live event, the first attempt starting from {@code person}: the contact as the caller read it for
     * this event (empty: nothing stored), so the several parts of one consumer read it once.
     */
    public void apply(String shopId, String contactId, Supplier<Optional<Contact>> person, CanonicalEvent event) {
        OptimisticWrites.untilWritten("the scores of contact " + contactId, person, () -> contacts.current(shopId, contactId), found -> {
            Read r = read(shopId, found.orElse(null));
            return r == null || settle(shopId, r.snapshot(), r.contact(), r.stored(), r.base(), r.events(), event, r.now());
        });
    }

    /**
     * What applying events starts from: the contact (null when nothing is stored under the id: nothing to score), its
     * stored scores (their pending events published first), the model, the recent events the stage rules read, and the
     * state with merged profiles folded in.
     */
    private record Read(Contact contact, Stored<ScoreState> stored, ShopSettings.Snapshot snapshot, List<CanonicalEvent> events, ScoreState base, Instant now) {
        ScoringModel model() {
            return snapshot.scoring();
        }
    }

    private Read read(String shopId, Contact contact) {
        if (contact == null) return null;
        Stored<ScoreState> stored = scores.scores(shopId, contact.contactId());
        flush(shopId, contact.contactId(), stored);
        Instant now = clock.instant();
        ShopSettings.Snapshot snapshot = settings.current(shopId);
        List<CanonicalEvent> events = new EventsOnDemand(() -> contacts.recentEvents(shopId, contact.historyIds(), EVENTS_READ));
        return new Read(contact, stored, snapshot, events, withMergedProfiles(shopId, contact, stored.value(), snapshot.scoring(), now), now);
    }

    /**
     * Applies a person's imported events (history) together: each at its own time and in time order, so its points
     * decay from when it happened and the stage rules see the person as they were then; one read and one write for
     * them all, one {@code score.changed} for the whole, and one {@code stage.changed} for each event that moved the
     * stage, dated when it happened. All of them say they are historical. Events applied before (by message id)
     * change nothing.
     */
    public void applyHistory(String shopId, String contactId, List<CanonicalEvent> history) {
        List<CanonicalEvent> inOrder = history.stream().sorted(Comparator.comparing(CanonicalEvent::timestamp)).toList();
        OptimisticWrites.untilWritten("the scores of contact " + contactId, () -> {
            Read r = read(shopId, contacts.current(shopId, contactId).orElse(null));
            if (r == null) return true;
            Contact contact = r.contact();
            Stored<ScoreState> stored = r.stored();
            ScoringModel model = r.model();
            List<CanonicalEvent> events = r.events();
            ScoreState base = r.base();
            Instant now = r.now();
            long version = stored.version() + 1;
            ScoreState state = base;
            List<BusEvent> out = new ArrayList<>();
            for (CanonicalEvent event : inOrder) {
                Instant at = event.timestamp().isBefore(now) ? event.timestamp() : now;
                List<CanonicalEvent> known = events.stream().filter(e -> !e.timestamp().isAfter(at)).toList();
                Scorer.Result result = Scorer.apply(model, state, contact, event, known, at);
                if (!result.stageChanges().isEmpty()) {
                    String id = contact.contactId() + ":stage:" + version + (out.isEmpty() ? "" : "." + out.size());
                    out.add(stageChanged(id, shopId, contact.contactId(), result.stageChanges(), event, at));
                }
                state = result.state();
            }
            if (state.equals(stored.value())) return true;
            Map<String, double[]> changed = new LinkedHashMap<>();
            Map<String, Double> before = base.pointsAt(model, now), after = state.pointsAt(model, now);
            after.forEach((group, points) -> {
                if (Math.abs(points - before.getOrDefault(group, 0.0)) >= 0.005) changed.put(group, new double[] {before.getOrDefault(group, 0.0), points});
            });
            if (!changed.isEmpty() && readBySegments(r.snapshot(), changed.keySet(), true)) {
                out.addFirst(scoreChanged(shopId, contact.contactId(), version, changed, null, true, now));
            }
            if (!commit(shopId, r.snapshot(), contact.contactId(), state, stored.version(), out, now)) return false;
            flush(shopId, contact.contactId(), new Stored<>(state, version, out));
            return true;
        });
    }

    /**
     * The state with the scores of every profile merged into this contact folded in, once each: a
     * visitor's points and stage survive the identify (or order) that made them known. Kept at the
     * stored version, so a concurrent write still makes this attempt start again.
     */
    private ScoreState withMergedProfiles(String shopId, Contact contact, ScoreState state, ScoringModel model, Instant now) {
        for (String merged : contact.mergedFrom()) {
            if (!state.absorbed().contains(merged)) state = state.absorb(merged, scores.scores(shopId, merged).value(), model, now);
        }
        return state;
    }

    /**
     * Applies {@code event} to a state the caller read, and stores it if anything changed.
     * False when another write came first (read again and retry).
     */
    boolean settle(String shopId, ShopSettings.Snapshot snapshot, Contact contact, Stored<ScoreState> stored, List<CanonicalEvent> events,
                   CanonicalEvent event, Instant now) {
        return settle(shopId, snapshot, contact, stored, stored.value(), events, event, now);
    }

    /** As above, from {@code base}: the stored state with merged profiles folded in. */
    private boolean settle(String shopId, ShopSettings.Snapshot snapshot, Contact contact, Stored<ScoreState> stored, ScoreState base,
                           List<CanonicalEvent> events, CanonicalEvent event, Instant now) {
        Scorer.Result result = Scorer.apply(snapshot.scoring(), base, contact, event, events, now);
        if (result.state().equals(stored.value())) return true;
        long version = stored.version() + 1;
        List<BusEvent> out = events(shopId, snapshot, contact.contactId(), version, result, event, now);
        if (!commit(shopId, snapshot, contact.contactId(), result.state(), stored.version(), out, now)) return false;
        flush(shopId, contact.contactId(), new Stored<>(result.state(), version, out));
        return true;
    }

    /**
     * Stores {@code next}, and its summary into the contacts index when the one there no longer holds for it (see
     * {@link ScoreSummary#needsWriting}): on most events it does, and the scores item is written alone.
     */
    private boolean commit(String shopId, ShopSettings.Snapshot snapshot, String contactId, ScoreState next, long expectedVersion,
                           List<BusEvent> out, Instant now) {
        ScoreSummary fresh = ScoreSummary.of(next, snapshot.scoreThresholds(), now);
        boolean summarized = ScoreSummary.needsWriting(next.indexed(), fresh, now);
        return scores.commit(shopId, contactId, summarized ? next.withIndexed(fresh) : next, expectedVersion, out, summarized);
    }

    /**
     * Puts the summary of the scores {@code stored} into the contacts index where the one {@code inIndex} (null: none)
     * differs: the scheduled refresh's, after reading the scores of someone whose summary came due.
     */
    void summarize(String shopId, ShopSettings.Snapshot snapshot, String contactId, Stored<ScoreState> stored, ScoreSummary inIndex, Instant now) {
        ScoreSummary fresh = ScoreSummary.of(stored.value(), snapshot.scoreThresholds(), now);
        if (!fresh.equals(inIndex)) scores.summarize(shopId, contactId, stored, fresh);
    }

    private void flush(String shopId, String contactId, Stored<ScoreState> stored) {
        if (stored.pending().isEmpty()) return;
        bus.publish(stored.pending());
        scores.published(shopId, contactId, stored.version());
    }

    private static List<BusEvent> events(String shopId, ShopSettings.Snapshot snapshot, String contactId, long version, Scorer.Result result,
                                         CanonicalEvent cause, Instant now) {
        List<BusEvent> out = new ArrayList<>();
        boolean historical = cause != null && cause.historical();
        if (!result.changed().isEmpty() && readBySegments(snapshot, result.changed().keySet(), historical)) {
            out.add(scoreChanged(shopId, contactId, version, result.changed(), cause, historical, now));
        }
        // one event per applied event, however many rules fired: subscribers see where the contact came from and went
        if (!result.stageChanges().isEmpty()) out.add(stageChanged(contactId + ":stage:" + version, shopId, contactId, result.stageChanges(), cause, now));
        return out;
    }

    /**
     * Whether a segment of the shop reads one of these score groups: {@code score.changed} is for SegmentFunction, and an
     * event nobody reads costs a bus event, an invocation and the outbox's write to clear it, on most events a shop takes.
     */
    private static boolean readBySegments(ShopSettings.Snapshot snapshot, java.util.Set<String> groups, boolean historical) {
        return !snapshot.segments().affectedBy(ContactChange.scores(groups, historical)).isEmpty();
    }

    private static BusEvent scoreChanged(String shopId, String contactId, long version, Map<String, double[]> changed, CanonicalEvent cause,
                                         boolean historical, Instant now) {
        ObjectNode detail = detail(contactId + ":score:" + version, shopId, contactId, now);
        ObjectNode groups = detail.putObject("scores");
        for (Map.Entry<String, double[]> change : changed.entrySet()) {
            double before = round(change.getValue()[0]), after = round(change.getValue()[1]);
            groups.putObject(change.getKey()).put("before", before).put("after", after).put("delta", round(after - before));
        }
        if (cause != null) detail.put("event", cause.event()).put("messageId", cause.messageId());
        markHistorical(detail, historical);
        return new BusEvent(BusEvent.SCORING, BusEvent.SCORE_CHANGED, now, detail);
    }

    private static BusEvent stageChanged(String id, String shopId, String contactId, List<StageChange> path, CanonicalEvent cause, Instant at) {
        ObjectNode detail = detail(id, shopId, contactId, at);
        if (path.getFirst().from() != null) detail.put("from", path.getFirst().from());
        detail.put("to", path.getLast().to()).put("rule", path.getLast().rule());
        detail.set("path", Json.MAPPER.valueToTree(path));
        if (cause != null) detail.put("event", cause.event()).put("messageId", cause.messageId());
        markHistorical(detail, cause != null && cause.historical());
        return new BusEvent(BusEvent.SCORING, BusEvent.STAGE_CHANGED, at, detail);
    }

    /**
     * A derived event an imported one caused says so ({@code "historical": true}): the journeys' rule leaves it out, so the
     * history a shop imports starts no journey through a score, stage or segment it moved either.
     */
    static void markHistorical(ObjectNode detail, boolean historical) {
        if (historical) detail.put(BusEvent.HISTORICAL, true);
    }

    static ObjectNode detail(String id, String shopId, String contactId, Instant at) {
        return Json.object().put("id", id).put("shopId", shopId).put("contactId", contactId).put("at", at.toString());
    }

    private static double round(double points) {
        return Math.round(points * 100) / 100.0;
    }

    /**
     * A person's recent events, read the first time a stage rule looks at them. Most events' rules read none: a page view
     * of someone past the funnel (a customer whose stage only an order, a fulfilment or the days since the last order
     * moves) scores its points, and reading their 500 newest events for it was the largest read of an event.
     */
    private static final class EventsOnDemand extends AbstractList<CanonicalEvent> {
        private final Lazy<List<CanonicalEvent>> events;

        EventsOnDemand(Supplier<List<CanonicalEvent>> read) {
            this.events = Lazy.of(read);
        }

        @Override
        public CanonicalEvent get(int index) {
            return events.get().get(index);
        }

        @Override
        public int size() {
            return events.get().size();
        }
    }
}
