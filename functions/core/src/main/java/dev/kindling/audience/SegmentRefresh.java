package dev.kindling.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.clv.ClvModels;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.BusEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.ingest.Times;
import dev.kindling.journey.JourneyEntries;
import dev.kindling.journey.JourneyStarter;
import dev.kindling.journey.flow.FlowSteps;
import dev.kindling.journey.flow.Flow;
import dev.kindling.privacy.Retention;
import dev.kindling.json.Json;
import dev.kindling.event.Stored;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.Scorer;
import dev.kindling.scoring.ScoringModel;
import dev.kindling.scoring.ScoreThresholds;
import dev.kindling.segment.Condition;
import dev.kindling.segment.Dependencies;
import dev.kindling.segment.Evaluator;
import dev.kindling.segment.Facts;
import dev.kindling.segment.SegmentDefinition;
import dev.kindling.segment.SegmentIndex;
import dev.kindling.settings.ShopSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduled refresh: reads every contact of a shop (shards in parallel, contacts only), and
 * settles what time alone can change — segments with time windows, dates, decaying scores or days
 * since the last order, and the stage rules that no event triggers. A contact's events are read
 * only when a time-based condition reads events and the contact was seen within its window, so a
 * refresh costs about one read per contact. Also backfills a new or changed segment, and previews
 * an unsaved one. Where the shop has a retention policy, the same pass asks for the erasure of each
 * person inactive past it ({@link Retention}); and for each journey the shop wrote with a date trigger
 * ("3 days before {@code policy_expires_at}") it announces the contacts whose moment came within the last
 * day ({@code journey.due}), once per date (marked beside the profile once it is on the bus), for
 * JourneyStartFunction to start.
 */
public final class SegmentRefresh {
    private final ClvModels clv;
    private final ContactStore contacts;
    private final ContactScan scan;
    private final ShopSettings settings;
    private final ScoreUpdate scores;
    private final SegmentEvaluation segments;
    private final EventPublisher bus;
    private final JourneyEntries entries;
    private final Clock clock;

    public SegmentRefresh(ContactStore contacts, ContactScan scan, ShopSettings settings, ScoreUpdate scores,
                          SegmentEvaluation segments, ClvModels clv, EventPublisher bus, JourneyEntries entries, Clock clock) {
        this.clv = clv;
        this.bus = bus;
        this.entries = entries;
        this.contacts = contacts;
        this.scan = scan;
        this.settings = settings;
        this.scores = scores;
        this.segments = segments;
        this.clock = clock;
    }

    /**
     * What a refresh did; {@code purgeRequested}: people inactive past the shop's retention, sent for erasure;
     * {@code journeysDue}: date-triggered journey entries announced; {@code scoreReads}: the scores read because their
     * summary in the index came due.
     */
    public record Report(long contacts, long eventReads, long scoreReads, long entered, long exited, long purgeRequested, long journeysDue) {}

    /** The contacts matching an unsaved definition: how many, and the first few. */
    /**
     * @param count    the matches among the contacts read
     * @param contacts the contacts read
     * @param complete whether every contact was read; if not, {@code about} estimates the matches in the whole shop
     */
    public record Preview(long count, long contacts, ArrayNode sample, boolean complete, long about) {}

    /** Settles the shop's time-based segments and stage rules. */
    public Report refresh(String shopId) {
        return refresh(shopId, null, List.of());
    }

    /**
     * Settles the shop's time-based segments and stage rules, asks for the erasure of everyone last seen before
     * {@code purgeBefore} (null: nobody), and announces the entries of the date-triggered journeys that came due.
     */
    public Report refresh(String shopId, Instant purgeBefore, List<Flow> datedJourneys) {
        ShopSettings.Snapshot snapshot = settings.current(shopId);
        List<Flow> dated = datedJourneys.stream().filter(f -> f.trigger() instanceof Flow.Trigger.OnDate).toList();
        List<SegmentDefinition> timeBased = snapshot.segments().timeBased();
        StageRecheck stages = StageRecheck.of(snapshot.scoring());
        return run(shopId, snapshot, timeBased, stages, PointsRead.forRefresh(snapshot.scoring(), timeBased), purgeBefore, dated);
    }

    /** Settles the named segments (and those built on them) for every contact: a new or changed segment fills at once. */
    public Report backfill(String shopId, List<String> segmentIds) {
        ShopSettings.Snapshot snapshot = settings.current(shopId);
        SegmentIndex index = snapshot.segments();
        List<SegmentDefinition> which = index.all().stream().filter(s -> segmentIds.contains(s.id())).toList();
        List<SegmentDefinition> settled = index.withDependents(which);
        return run(shopId, snapshot, settled, null, PointsRead.forBackfill(snapshot.scoring(), settled), null, List.of());
    }

    /** The members an unsaved definition would have now, read until {@code stop} (a time budget) says so. */
    public Preview preview(String shopId, SegmentDefinition definition, int sampleSize, BooleanSupplier stop) {
        ShopSettings.Snapshot snapshot = settings.current(shopId);
        Duration lookback = definition.dependencies().lookback();
        AtomicLong count = new AtomicLong(), seen = new AtomicLong();
        ArrayNode sample = Json.MAPPER.createArrayNode();
        Instant now = clock.instant();
        boolean readsScores = !definition.dependencies().scores().isEmpty();
        ContactScan.Coverage coverage = scan.scanUntil(shopId, stop, scanned -> {
            Contact contact = scanned.contact();
            seen.incrementAndGet();
            ScoreState scores = readsScores ? scanned.scores().get().value() : ScoreState.atStage(scanned.stage());
            Facts facts = new Facts(contact, scores.pointsAt(snapshot.scoring(), now), scores.stage(),
                    scanned.memberships().value().keySet(), events(shopId, contact, lookback, now, new AtomicLong()), now, () -> clv.current(shopId));
            if (!Evaluator.matches(definition.condition(), facts)) return;
            count.incrementAndGet();
            synchronized (sample) {
                if (sample.size() < sampleSize) {
                    var row = sample.addObject().put("contactId", contact.contactId());
                    if (contact.email() != null) row.put("email", contact.email());
                }
            }
        });
        return new Preview(count.get(), seen.get(), sample, coverage.complete(), coverage.estimate(count.get()));
    }

    /**
     * How the refresh re-checks the stage rules time can fire: the events read for every person seen within {@code rising}
     * (the rules that can become true as time passes with no event: a score decayed, an event out of its window under a
     * "not"), and within {@code all} (every rule reading events in a window) only when the rules so read move the stage.
     * The rules that only lapse ({@link Dependencies#onlyLapses}: "added to cart within 14 days") were false when the
     * person's last event was scored and cannot have become true since, unless the stage moved: reading everyone's two
     * weeks of events every hour to learn so was two thirds of the month's reads.
     */
    record StageRecheck(Duration rising, Duration all) {
        static StageRecheck of(ScoringModel model) {
            Duration rising = Duration.ZERO, all = Duration.ZERO;
            for (var rule : model.stages()) {
                if (rule.on() != null || rule.when() == null) continue;
                Dependencies d = Dependencies.of(rule.when());
                if (!d.timeBased() || d.lookback() == null) continue;
                all = longer(all, d.lookback());
                if (!Dependencies.onlyLapses(rule.when())) rising = longer(rising, d.lookback());
            }
            return new StageRecheck(rising, all);
        }
    }

    /**
     * Whose scores a run reads ({@link ScoreSummary}): everyone's ({@code always}), when what it settles reads a score and
     * moves with time for another reason too, or settles a segment anew; otherwise only theirs whose summary is due, the
     * others settled with the stage rules and segments that read no score ({@code stages}, {@code segments}): those that
     * do keep the answer they had when the person was last evaluated, as no score they read crossed a value since.
     */
    record PointsRead(boolean always, ScoringModel stages, List<SegmentDefinition> segments) {
        static PointsRead forRefresh(ScoringModel model, List<SegmentDefinition> timeBased) {
            boolean always = model.stages().stream().anyMatch(r -> r.on() == null && r.when() != null && readsScores(r.when())
                    && Dependencies.movesWithTimeBesidesScores(r.when()))
                    || timeBased.stream().anyMatch(s -> readsScores(s.condition()) && Dependencies.movesWithTimeBesidesScores(s.condition()));
            return of(always, model, timeBased);
        }

        static PointsRead forBackfill(ScoringModel model, List<SegmentDefinition> settled) {
            return of(settled.stream().anyMatch(s -> readsScores(s.condition())), model, settled);
        }

        private static PointsRead of(boolean always, ScoringModel model, List<SegmentDefinition> which) {
            ScoringModel stages = new ScoringModel(model.halfLives(), model.rules(),
                    model.stages().stream().filter(r -> r.when() == null || !readsScores(r.when())).toList());
            return new PointsRead(always, stages, which.stream().filter(s -> !readsScores(s.condition())).toList());
        }

        private static boolean readsScores(Condition condition) {
            return !Dependencies.of(condition).scores().isEmpty();
        }
    }

    /**
     * @param stages null: stage rules are not re-checked
     */
    private Report run(String shopId, ShopSettings.Snapshot snapshot, List<SegmentDefinition> which, StageRecheck stages, PointsRead points,
                       Instant purgeBefore, List<Flow> dated) {
        Duration segmentLookback = SegmentIndex.lookback(which);
        Duration lookback = stages == null ? segmentLookback : longer(segmentLookback, stages.rising());
        AtomicLong total = new AtomicLong(), eventReads = new AtomicLong(), entered = new AtomicLong(), exited = new AtomicLong(), purge = new AtomicLong();
        AtomicLong due = new AtomicLong(), scoreReads = new AtomicLong();
        if (which.isEmpty() && stages == null && purgeBefore == null && dated.isEmpty()) return new Report(0, 0, 0, 0, 0, 0, 0);
        ScoreThresholds thresholds = snapshot.scoreThresholds();
        scan.scanAll(shopId, scanned -> {
            total.incrementAndGet();
            Contact contact = scanned.contact();
            Instant now = clock.instant();
            if (purgeBefore != null && Retention.inactive(contact, purgeBefore)) {
                bus.publish(List.of(Retention.request(shopId, contact, purgeBefore, now)));
                purge.incrementAndGet();
                return; // about to be erased: nothing to settle
            }
            for (Flow flow : dated) if (announceIfDue(shopId, flow, contact, now)) due.incrementAndGet();
            List<CanonicalEvent> events = events(shopId, contact, lookback, now, eventReads);
            Stored<ScoreState> read = null;
            if (points.always() || scanned.summary() == null || scanned.summary().dueBy(now, thresholds)) {
                read = scanned.scores().get();
                if (scanned.summary() != null) scoreReads.incrementAndGet();
            }
            boolean written = stages != null && settleStages(shopId, snapshot, scanned, read, points.stages(), events, lookback, stages, now, eventReads);
            List<SegmentDefinition> settled = read != null ? which : points.segments();
            if (!settled.isEmpty()) {
                ScoreState state = read != null ? read.value() : ScoreState.atStage(scanned.summary().stage());
                SegmentEvaluation.Outcome outcome = segments.settle(shopId, snapshot, contact, state, scanned.memberships(), events, settled, now);
                if (outcome == null || outcome.entered().size() + outcome.exited().size() == SegmentEvaluation.CHANGES_PER_WRITE) {
                    outcome = segments.evaluate(shopId, snapshot, contact.contactId(), settled);
                }
                entered.addAndGet(outcome.entered().size());
                exited.addAndGet(outcome.exited().size());
            }
            // the scores were read and nothing wrote them: their summary is put in the index again, due at the next crossing
            if (read != null && !written) scores.summarize(shopId, snapshot, contact.contactId(), read, scanned.summary(), now);
        });
        return new Report(total.get(), eventReads.get(), scoreReads.get(), entered.get(), exited.get(), purge.get(), due.get());
    }

    /**
     * Re-checks the stage rules with the events read (see {@link StageRecheck}), with every rule when the scores were
     * {@code read}, else with those that read no score ({@code unscored}) on the stage the index holds: nothing moves, as
     * on most hours for most people, and nothing more is read or written; the stage moves, and it is settled again with
     * the scores and every rule's events. Whether it was (the scores and their summary were written).
     */
    private boolean settleStages(String shopId, ShopSettings.Snapshot snapshot, ContactScan.ScannedContact scanned, Stored<ScoreState> read,
                                 ScoringModel unscored, List<CanonicalEvent> events, Duration lookback, StageRecheck stages, Instant now,
                                 AtomicLong eventReads) {
        Contact contact = scanned.contact();
        ScoringModel model = read != null ? snapshot.scoring() : unscored;
        ScoreState state = read != null ? read.value() : ScoreState.atStage(scanned.summary().stage());
        if (Scorer.apply(model, state, contact, null, events, now).stageChanges().isEmpty()) return false;
        Duration all = longer(lookback, stages.all());
        if (!all.equals(lookback)) events = events(shopId, contact, all, now, eventReads);
        Stored<ScoreState> stored = read != null ? read : scanned.scores().get();
        if (!scores.settle(shopId, snapshot, contact, stored, events, null, now)) {
            scores.apply(shopId, contact.contactId(), null); // a concurrent event won: start from a fresh read
        }
        return true;
    }

    /**
     * A date-triggered journey's moment for this contact (the trait's date, midnight UTC, plus the offset) came within the
     * last day: announced once per date, whichever refresh of that day sees it first.
     */
    private boolean announceIfDue(String shopId, Flow flow, Contact contact, Instant now) {
        Flow.Trigger.OnDate on = (Flow.Trigger.OnDate) flow.trigger();
        JsonNode value = contact.traits().custom() == null ? null : contact.traits().custom().get(on.trait());
        Instant date = value == null ? null : Times.dateOrInstant(value.asText());
        if (date == null) return false;
        Instant moment = date.plus(on.offset());
        if (moment.isAfter(now) || !moment.isAfter(now.minus(Duration.ofDays(1)))) return false;
        String key = contact.contactId() + "-" + value.asText();
        String marker = "due:" + flow.id() + ":" + value.asText();
        if (entries.lastEntered(shopId, contact.contactId(), marker).isPresent()) return false;
        ObjectNode detail = Json.object().put("id", "due:" + flow.id() + ":" + key).put("shopId", shopId).put("contactId", contact.contactId())
                .put("journey", flow.id()).put("key", key).put("due", moment.toString());
        bus.publish(List.of(new BusEvent(FlowSteps.SOURCE, JourneyStarter.JOURNEY_DUE, now, detail)));
        // marked after it is on the bus: a run that fails in between announces it again, and the execution's name dedupes
        entries.enter(shopId, contact.contactId(), marker, now, now.minus(Duration.ofDays(400)));
        return true;
    }

    /**
     * The contact's events within the lookback, or none when it reads no events or the contact was not seen since; a read
     * made is counted in {@code reads}.
     */
    private List<CanonicalEvent> events(String shopId, Contact contact, Duration lookback, Instant now, AtomicLong reads) {
        if (lookback == null || !seenSince(contact, now.minus(lookback))) return List.of();
        reads.incrementAndGet();
        return contacts.recentEvents(shopId, contact.historyIds(), now.minus(lookback), SegmentEvaluation.EVENTS_READ);
    }

    /** Seen since, to within the precision {@code lastSeen} is kept to: an event within the hour after it may not have moved it. */
    private static boolean seenSince(Contact contact, Instant since) {
        return contact.lastSeen() != null && !contact.lastSeen().plus(Contact.LAST_SEEN_PRECISION).isBefore(since);
    }

    /** The longer of two lookbacks (null: no events read). */
    private static Duration longer(Duration a, Duration b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.compareTo(b) >= 0 ? a : b;
    }
}
