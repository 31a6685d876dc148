package dev.kindling.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Commerce;
import dev.kindling.coupon.Coupon;
import dev.kindling.coupon.CouponCodes;
import dev.kindling.engagement.EngagementHours;
import dev.kindling.loyalty.LoyaltyProgramme;
import dev.kindling.send.EmailSending;
import dev.kindling.lazy.Lazy;
import dev.kindling.loyalty.Standings;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.ShopEmail;
import dev.kindling.engagement.EmailStats;
import dev.kindling.engagement.TextClicks;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventNames;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.event.Stored;
import dev.kindling.journey.HoldoutEntries;
import dev.kindling.json.Json;
import dev.kindling.report.Attribution.Credit;
import dev.kindling.report.Ledger.Arm;
import dev.kindling.report.Ledger.Order;
import dev.kindling.report.ReportStore.Delta;
import dev.kindling.retry.OptimisticWrites;
import dev.kindling.segment.MembershipStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Keeps the reports' daily aggregates as events arrive, so no report reads more than its days:
 * orders and refunds (credited to the emails before them, and to the holdout arms their buyer is
 * in), sessions and carts, NPS answers, funnel and loyalty stage moves, and entries into journeys
 * and campaigns with a holdout. Each change is written with the person's {@link Ledger} in one
 * transaction at the version read, so an event delivered twice, or two events of one person at
 * once, count exactly once.
 */
public final class ReportCounting implements HoldoutEntries, Standings, EngagementHours {
    /** Idle time that ends a session (Google Analytics' default). */
    static final Duration SESSION_IDLE = Duration.ofMinutes(30);
    /** A visit this close after the last recorded activity changes nothing worth a write (sessions end up to this much later). */
    static final Duration ACTIVITY_GRAIN = Duration.ofMinutes(5);
    static final Set<String> BROWSING = Set.of("Product Viewed", "Product Added", "Product List Viewed", "Products Searched",
            "Cart Viewed", EventNames.CHECKOUT_STARTED, EventNames.CART_UPDATED);
    public static final String SHOP = "shop";
    /**
     * The bill's count of stored events, per day: the amount {@code events} in a group of its own, whose day items hold that
     * one counter and the {@linkplain #browsingCount browsing counts}, so each stored event's addition bills one unit however
     * many counters the shop's day grows to (a busy shop's day, 80 counters, is about 1.7 KB: two units an addition).
     * Counted in the shop's group before, where {@link #storedEvents} still finds those days.
     */
    public static final String EVENTS = "events";

    /**
     * Adds a batch of the table's stream to the aggregates, all together ({@link ReportStore#addTogether}): the events it
     * shows stored, per day in the {@value #EVENTS} group (every event for the bill, and each tracked product view, add to
     * cart and checkout for the overview), and the counts the ledgers it shows written decided ({@code counted}: sessions,
     * stage moves, segment moves). Counted per event as the ingest stored it, the bill's count was a write of every event
     * (0.86 WRU an event of the reference month), and a session or a move a transaction of the ledger and the day's items;
     * a batch is one transaction.
     *
     * @param stored  each shop's events stored (an event item inserted: a delivery seen before inserts none)
     * @param counted each shop's counts that rode on its ledgers' writes ({@link ReportStore#commit})
     */
    public static void countBatch(ReportStore store, Map<String, List<CanonicalEvent>> stored, Map<String, List<Delta>> counted) {
        Map<String, List<Delta>> byShop = new TreeMap<>();
        counted.forEach((shopId, deltas) -> byShop.computeIfAbsent(shopId, k -> new ArrayList<>()).addAll(deltas));
        stored.forEach((shopId, events) -> {
            Map<LocalDate, Map<String, BigDecimal>> byDay = new TreeMap<>();
            for (CanonicalEvent event : events) {
                Map<String, BigDecimal> counts = byDay.computeIfAbsent(day(event.timestamp()), d -> new TreeMap<>());
                counts.merge(EVENTS, BigDecimal.ONE, BigDecimal::add);
                String browsing = browsingCount(event);
                if (browsing != null) counts.merge(browsing, BigDecimal.ONE, BigDecimal::add);
            }
            byDay.forEach((day, counts) -> byShop.computeIfAbsent(shopId, k -> new ArrayList<>()).add(new Delta(EVENTS, day, counts)));
        });
        if (!byShop.isEmpty()) store.addTogether(byShop);
    }

    /** The overview's count a tracked event is, if any: {@code product_views}, {@code adds_to_cart} or {@code checkouts}. */
    static String browsingCount(CanonicalEvent event) {
        if (!event.source().isTracking() || event.event() == null) return null;
        return switch (event.event()) {
            case "Product Viewed" -> "product_views";
            case "Product Added" -> "adds_to_cart";
            case EventNames.CHECKOUT_STARTED -> "checkouts";
            default -> null;
        };
    }

    /**
     * The shop's days with the browsing counts the ingest keeps in the {@value #EVENTS} group added in (days counted before
     * that have them in the shop's own items: both are summed).
     */
    public static List<ReportStore.Row> shopDays(ReportStore store, String shopId, LocalDate from, LocalDate to) {
        Map<LocalDate, Map<String, BigDecimal>> byDay = new TreeMap<>();
        store.days(shopId, SHOP, from, to).forEach(r -> byDay.put(r.day(), new TreeMap<>(r.amounts())));
        for (ReportStore.Row row : store.days(shopId, EVENTS, from, to)) {
            row.amounts().forEach((name, amount) -> {
                if (!name.equals(EVENTS)) byDay.computeIfAbsent(row.day(), d -> new TreeMap<>()).merge(name, amount, BigDecimal::add);
            });
        }
        List<ReportStore.Row> rows = new ArrayList<>();
        byDay.forEach((day, amounts) -> rows.add(new ReportStore.Row(day, amounts)));
        return rows;
    }

    /** The events stored on these days, as {@link #eventCount} counted them (and as it did in the shop's group before). */
    public static long storedEvents(ReportStore store, String shopId, LocalDate from, LocalDate to) {
        BigDecimal now = Reports.sum(store.days(shopId, EVENTS, from, to)).getOrDefault(EVENTS, BigDecimal.ZERO);
        BigDecimal before = Reports.sum(store.days(shopId, SHOP, from, to)).getOrDefault(EVENTS, BigDecimal.ZERO);
        return now.add(before).longValue();
    }
    static final int FLUSH_EVERY = 100;
    static final Duration FLUSH_AFTER = Duration.ofMinutes(1);
    static final String STAGES = "stages";
    static final String SEGMENTS = "segments";

    private final ContactStore contacts;
    private final MembershipStore memberships;
    private final ReportStore store;
    private final CouponCodes coupons;
    private final EventRecorder recorder;
    private final ShopEmail email;
    private final Clock clock;
    /** Opens and clicks per shop and hour of the week (UTC), not yet added to the shop's curve (send-time optimisation's prior). */
    private final Map<String, LongAdder> unflushedHours = new ConcurrentHashMap<>();
    /** The running total of a shop's opens and clicks by hour of the week: {@code h0} (Monday 00:00 UTC) to {@code h167}. */
    static final String ENGAGEMENT_HOURS = "engagement-hours";
    private final AtomicLong pending = new AtomicLong();
    private volatile Instant lastFlush;
    /** The names of what the shop sends, noted as events are counted and written with the same flushes. */
    private final EventCatalogue catalogue;

    public ReportCounting(ContactStore contacts, MembershipStore memberships, ReportStore store, ShopEmail email, CouponCodes coupons,
                          EventRecorder recorder, Clock clock) {
        this.contacts = contacts;
        this.recorder = recorder;
        this.coupons = coupons;
        this.memberships = memberships;
        this.store = store;
        this.email = email;
        this.clock = clock;
        this.lastFlush = clock.instant();
        this.catalogue = new EventCatalogue(store);
    }

    /** The event, property and trait names the shop has sent. */
    public EventCatalogue catalogue() {
        return catalogue;
    }

    /**
     * Notes an ingested event's names for the builders ({@link EventCatalogue}), written once a minute or every
     * {@value #FLUSH_EVERY} events with the engagement hours. (The event itself is counted for the bill from the table's
     * stream: {@link #countBatch}.)
     */
    public void seen(String shopId, CanonicalEvent event) {
        catalogue.note(shopId, event);
        if (pending.incrementAndGet() >= FLUSH_EVERY || clock.instant().isAfter(lastFlush.plus(FLUSH_AFTER))) flush();
    }

    /** Adds the events counted so far to the aggregates. */
    public synchronized void flush() {
        lastFlush = clock.instant();
        pending.set(0);
        catalogue.flush();
        Map<String, Map<String, BigDecimal>> hours = new HashMap<>();
        for (String key : List.copyOf(unflushedHours.keySet())) {
            long n = unflushedHours.remove(key).sum();
            int cut = key.lastIndexOf('|');
            if (n > 0) hours.computeIfAbsent(key.substring(0, cut), k -> new TreeMap<>()).put(key.substring(cut + 1), BigDecimal.valueOf(n));
        }
        hours.forEach((shopId, amounts) -> store.add(shopId, new Delta(ENGAGEMENT_HOURS, null, amounts)));
    }

    public static String attributionGroup(String source) {
        return "attr:" + source;
    }

    /** Orders and revenue the last-touch model credited to one variant. */
    public record Credited(BigDecimal orders, BigDecimal revenue) {}

    /**
     * What the last-touch model credited to each variant of one step of a source (a campaign's run, a journey's step),
     * from {@code from} to {@code to}: what an A/B test by conversions or revenue compares.
     */
    public Map<String, Credited> creditedByVariant(String shopId, String source, String step, LocalDate from, LocalDate to) {
        Map<String, Credited> credited = new HashMap<>();
        String prefix = Attribution.Model.last + "|" + step + "|";
        for (ReportStore.Row row : store.days(shopId, attributionGroup(source), from, to)) {
            row.amounts().forEach((key, amount) -> {
                if (!key.startsWith(prefix)) return;
                String[] parts = key.substring(prefix.length()).split("\\|");
                if (parts.length != 2) return;
                boolean orders = parts[1].equals("orders");
                credited.merge(parts[0], new Credited(orders ? amount : BigDecimal.ZERO, orders ? BigDecimal.ZERO : amount),
                        (a, b) -> new Credited(a.orders().add(b.orders()), a.revenue().add(b.revenue())));
            });
        }
        return credited;
    }

    public static String liftGroup(String source) {
        return "lift:" + source;
    }

    public static String segmentGroup(String segmentId) {
        return "seg:" + segmentId;
    }

    /**
     * An ingested event (as published on the bus). Events the reports do not count cost nothing: no
     * read, no write; the shop's attribution windows are read only for the events that use them.
     */
    public void event(String shopId, String contactId, CanonicalEvent event) {
        event(shopId, contactId, () -> contacts.current(shopId, contactId), event);
    }

    /**
     * As above, the first attempt starting from {@code person}: the contact as the caller read it for this event (empty:
     * nothing stored), asked for only when the event counts.
     */
    public void event(String shopId, String contactId, Supplier<Optional<Contact>> person, CanonicalEvent event) {
        Kind kind = kind(event);
        // the loyalty programme's points for the event itself: only what authority says (a webhook, the server key, Kindling);
        // a claim of no other count costs nothing, as before
        boolean mayEarn = !event.trust().isClaim() && event.event() != null;
        if (kind == Kind.NONE && !mayEarn) return;
        // the shop's email settings, coupons and programme, read once for the whole count (a version read per use)
        Lazy<ShopEmail.Snapshot> shop = Lazy.of(() -> email.current(shopId));
        LoyaltyProgramme programme = kind == Kind.COMMERCE || kind == Kind.NONE ? shop.get().settings().loyalty() : null;
        long earned = programme == null || !mayEarn ? 0 : programme.events().getOrDefault(event.event(), 0);
        if (kind == Kind.NONE && earned == 0) return;
        change(shopId, contactId, person, event.messageId(), (contact, ledger) -> {
            Change change = switch (kind) {
                case TOUCH -> engaged(shopId, touch(ledger, event, shop.get().settings().attribution()), event.timestamp());
                case VISIT -> visit(ledger, event);
                case COMMERCE -> commerce(shopId, shop.get(), contact, ledger, event);
                case NPS -> nps(ledger, event);
                case NONE -> new Change(ledger, List.of());
            };
            if (programme == null || change == null || (change.spendChange().signum() == 0 && earned == 0)) return change;
            return loyalty(shopId, shop.get(), contact, programme, change, ledger.loyalty(), earned, event);
        });
    }

    /**
     * The loyalty programme's count of an order's spend change or an event's points: the points (lapsed first when their
     * time ran out), the tier they give now ({@code Loyalty Tier Reached} or {@code Lost} when it moved), and a unique
     * reward code for each reward threshold the points passed ({@code Loyalty Reward Earned}, with the code).
     */
    private Change loyalty(String shopId, ShopEmail.Snapshot shop, Contact contact, LoyaltyProgramme programme, Change change,
                           LoyaltyProgramme.State before, long earned, CanonicalEvent event) {
        Instant at = event.timestamp();
        LoyaltyProgramme.State next = programme.earn(before, change.spendChange(), earned, at);
        Ledger after = change.ledger();
        LoyaltyProgramme.Standing standing = programme.standing(next, after.netSpend(after.orders(), at.minus(LoyaltyProgramme.SPEND_WINDOW)), at);
        List<Recorded> events = new ArrayList<>(change.events());
        Deltas deltas = new Deltas(); // one item per group and day: the order's own counts and these together
        change.deltas().forEach(d -> d.amounts().forEach((name, amount) -> deltas.add(d.group(), d.day(), name, amount)));
        String was = before == null ? null : before.tier();
        boolean entersFirst = was == null && programme.rank(standing.tier()) == 0; // everyone starts in the first tier: no event
        if (!standing.tier().equals(was) && !entersFirst) {
            boolean up = programme.rank(standing.tier()) > programme.rank(was);
            ObjectNode props = Json.object().put("tier", standing.tier()).put("previous_tier", was).put("points", standing.points());
            events.add(new Recorded(contact, "loyalty:" + event.messageId() + ":tier", up ? LoyaltyProgramme.TIER_REACHED : LoyaltyProgramme.TIER_LOST, props, at));
            deltas.add(SHOP, day(at), (up ? "tier_reached:" : "tier_lost:") + standing.tier(), BigDecimal.ONE);
        }
        long rewardedUpTo = 0;
        for (LoyaltyProgramme.Reward reward : programme.rewardsDue(next, standing.points())) {
            Coupon coupon = shop.coupons().get(reward.coupon());
            String key = "loyalty-reward:" + contact.contactId() + ":" + next.period() + ":" + reward.points();
            Optional<CouponCodes.Given> given = coupon == null ? Optional.empty()
                    : coupons.give(shopId, coupon.id(), new CouponCodes.Giver(key, contact.contactId(), null, null, null, null, null, null), at);
            if (given.isEmpty()) break; // no coupon or no code left: given when the points next move (the pool's warning tells the shop)
            rewardedUpTo = reward.points();
            ObjectNode props = Json.object().put("code", given.get().code()).put("coupon", coupon.id()).put("points", reward.points())
                    .put("expires_at", coupon.expiresAt(given.get().at()).toString());
            events.add(new Recorded(contact, key, LoyaltyProgramme.REWARD_EARNED, props, at));
            deltas.add(SHOP, day(at), "loyalty_rewards", BigDecimal.ONE);
        }
        return new Change(after.withLoyalty(LoyaltyProgramme.counted(next, standing.tier(), rewardedUpTo)), deltas.list(), events, change.spendChange(),
                change.counted());
    }

    /**
     * An open or a click, as send-time optimisation counts it: in the person's hours (on their ledger, written with the
     * touch) and in the shop's hour-of-week curve (counted in memory and added with the batched counts: a curve, where a
     * batch an instance loses when it stops matters little).
     */
    private Change engaged(String shopId, Change touched, Instant at) {
        if (touched == null) return null;
        ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
        int hourOfWeek = (utc.getDayOfWeek().getValue() - 1) * 24 + utc.getHour();
        unflushedHours.computeIfAbsent(shopId + "|h" + hourOfWeek, k -> new LongAdder()).increment();
        return touched;
    }

    @Override
    public List<Integer> person(String shopId, String contactId) {
        return store.ledger(shopId, contactId).value().hoursOfDay();
    }

    @Override
    public long[] shop(String shopId) {
        long[] week = new long[168];
        store.total(shopId, ENGAGEMENT_HOURS).forEach((k, v) -> {
            if (k.matches("h\\d{1,3}") && Integer.parseInt(k.substring(1)) < 168) week[Integer.parseInt(k.substring(1))] = v.longValue();
        });
        return week;
    }

    @Override
    public Optional<LoyaltyProgramme.Standing> of(String shopId, Contact contact) {
        LoyaltyProgramme programme = email.current(shopId).settings().loyalty();
        if (programme == null) return Optional.empty();
        Ledger ledger = store.ledger(shopId, contact.contactId()).value();
        Instant now = clock.instant();
        return Optional.of(programme.standing(ledger.loyalty(), ledger.netSpend(ledger.orders(), now.minus(LoyaltyProgramme.SPEND_WINDOW)), now));
    }

    private EmailSettings.Attribution windows(String shopId) {
        return email.current(shopId).settings().attribution();
    }

    /**
     * A funnel or loyalty stage move ({@code stage.changed}): entries per stage and day, the move, and
     * the current count per stage. The count moves the person out of the stage they were counted in
     * (their ledger's), not the event's {@code from}: a stage reached without an event of its own (a
     * merged profile's) then never leaves a count below zero.
     */
    public void stageChanged(String shopId, String contactId, String changeId, String from, String to, Instant at) {
        change(shopId, contactId, changeId, (contact, ledger) -> {
            Map<String, BigDecimal> day = new TreeMap<>();
            day.put("stage:" + to, BigDecimal.ONE);
            if (from != null) day.put("move:" + from + ">" + to, BigDecimal.ONE);
            List<Delta> deltas = new ArrayList<>(List.of(new Delta(SHOP, day(at), day)));
            if (!to.equals(ledger.stage())) {
                Map<String, BigDecimal> now = new TreeMap<>();
                now.put(to, BigDecimal.ONE);
                if (ledger.stage() != null) now.put(ledger.stage(), BigDecimal.ONE.negate());
                deltas.add(new Delta(STAGES, null, now));
            }
            return Change.counting(ledger.withStage(to), deltas);
        });
    }

    /**
     * A segment entered or left ({@code segment.entered}, {@code segment.exited}): the segments' current member counts,
     * each counted for the segment as made at {@code segmentCreatedAt} (see {@link #memberCount}).
     */
    public void membershipChanged(String shopId, String contactId, String changeId, String segmentId, Instant segmentCreatedAt,
                                  boolean entered, Instant at) {
        change(shopId, contactId, changeId, (contact, ledger) -> Change.counting(ledger, List.of(
                new Delta(SEGMENTS, null, Map.of(memberCount(segmentId, segmentCreatedAt), entered ? BigDecimal.ONE : BigDecimal.ONE.negate())),
                new Delta(segmentGroup(segmentId), day(at), Map.of(entered ? "entered" : "exited", BigDecimal.ONE)))));
    }

    /**
     * The key of a segment's current member count: one per segment as made, so a segment deleted and made again
     * under its id starts from none (its old members' memberships lapse without an exit that would count them
     * down). Segments saved before they carried {@code createdAt} count under their id.
     */
    public static String memberCount(String segmentId, Instant segmentCreatedAt) {
        return segmentCreatedAt == null ? segmentId : segmentId + "@" + segmentCreatedAt;
    }

    /**
     * Someone entered a journey or a campaign run with a holdout, as treated (the email went) or held
     * out. Their orders within the lift window are then counted for that group, under the entry's day.
     * An entry while an earlier one is still within its window is the same entry.
     */
    @Override
    public void entered(String shopId, String contactId, String source, boolean holdout, String entryId, Instant at) {
        Duration window = windows(shopId).lift();
        change(shopId, contactId, entryId, (contact, ledger) -> {
            Arm arm = ledger.arms().get(source);
            if (arm != null && !arm.enteredAt().plus(window).isBefore(at)) return null;
            Map<String, Arm> arms = new HashMap<>();
            ledger.arms().forEach((s, a) -> { if (!a.enteredAt().plus(window).isBefore(at)) arms.put(s, a); });
            Arm entered = new Arm(holdout, at, day(at), BigDecimal.ZERO, false);
            arms.put(source, entered);
            // a count (no money): it rides on the ledger's write, where a transaction with the day's item billed both twice
            return Change.counting(ledger.withArms(arms), List.of(new Delta(liftGroup(source), entered.cohort(), Map.of(entered.group() + "_n", BigDecimal.ONE))));
        });
    }

    /**
     * @param events      what Kindling records about people because of it (recorded before the ledger is written, each
     *                    once by its key, so a retried count records nothing twice)
     * @param spendChange the change of the person's net spend in the shop's currency (an order, a refund, a cancellation)
     * @param counted     counts of behaviour that ride on the ledger's write ({@link ReportStore#commit}): a session's
     */
    private record Change(Ledger ledger, List<Delta> deltas, List<Recorded> events, BigDecimal spendChange, List<Delta> counted) {
        Change(Ledger ledger, List<Delta> deltas) {
            this(ledger, deltas, List.of(), BigDecimal.ZERO);
        }

        Change(Ledger ledger, List<Delta> deltas, List<Recorded> events, BigDecimal spendChange) {
            this(ledger, deltas, events, spendChange, List.of());
        }

        /** Counts the ledger's version decides once (no money): they ride on its write, not in a transaction with the days. */
        static Change counting(Ledger ledger, List<Delta> counted) {
            return new Change(ledger, List.of(), List.of(), BigDecimal.ZERO, counted);
        }
    }

    /** An event to record about a person (not always the one counted: a referral credits the advocate). */
    private record Recorded(Contact about, String key, String event, ObjectNode properties, Instant at) {}

    private interface Step {
        /** The next ledger and what it adds to the aggregates; null when the event changes nothing. */
        Change apply(Contact contact, Ledger ledger);
    }

    private void change(String shopId, String contactId, String eventId, Step step) {
        change(shopId, contactId, () -> contacts.current(shopId, contactId), eventId, step);
    }

    /** As above, the first attempt starting from {@code person} as the caller read it. */
    private void change(String shopId, String contactId, Supplier<Optional<Contact>> person, String eventId, Step step) {
        OptimisticWrites.untilWritten("the report ledger of contact " + contactId, person, () -> contacts.current(shopId, contactId), found -> {
            Contact contact = found.orElse(null);
            if (contact == null) return true; // erased or never stored: nothing to count
            Stored<Ledger> stored = store.ledger(shopId, contact.contactId());
            if (stored.value().counted(eventId)) return true;
            Ledger ledger = withMergedTouches(shopId, contact, stored.value());
            Change change = step.apply(contact, ledger);
            if (change == null && ledger == stored.value()) return true;
            if (change == null) change = new Change(ledger, List.of()); // the merged touches are kept, even when the event counts nothing
            for (Recorded r : change.events()) recorder.record(shopId, r.key(), r.about(), r.event(), r.properties(), r.at());
            return store.commit(shopId, contact.contactId(), stored.version(), change.ledger().withApplied(eventId), change.deltas(), change.counted());
        });
    }

    /**
     * The ledger with the touches of every profile merged into this contact carried over, once each (marked as applied;
     * should the mark roll out, carrying them again changes nothing: a message's touch of one kind is kept once, the
     * latest): an email a person clicked under the address or visitor profile that was merged away still credits the
     * order they place as the survivor.
     */
    private Ledger withMergedTouches(String shopId, Contact contact, Ledger ledger) {
        for (String merged : contact.mergedFrom()) {
            String mark = "merged:" + merged;
            if (ledger.counted(mark)) continue;
            Map<String, Touch> byMessageAndKind = new LinkedHashMap<>();
            for (Touch t : ledger.touches()) byMessageAndKind.put(t.messageId() + "|" + t.kind(), t);
            for (Touch t : store.ledger(shopId, merged).value().touches()) {
                byMessageAndKind.merge(t.messageId() + "|" + t.kind(), t, (a, b) -> a.at().isAfter(b.at()) ? a : b);
            }
            ledger = ledger.withTouches(Attribution.latest(List.copyOf(byMessageAndKind.values()), Ledger.TOUCHES_KEPT)).withApplied(mark);
        }
        return ledger;
    }

    private enum Kind { TOUCH, VISIT, COMMERCE, NPS, NONE }

    private static Kind kind(CanonicalEvent event) {
        String name = event.event() == null ? "" : event.event();
        if (event.source() == Source.KINDLING) {
            if (clicked(name)) return Kind.TOUCH;
            if (name.equals("Email Opened")) return event.properties().path("machine_open").asBoolean(false) ? Kind.NONE : Kind.TOUCH;
            if (name.equals(EventNames.NPS_SUBMITTED)) return Kind.NPS;
            return Kind.NONE;
        }
        // a claim (the public write key) never makes, re-totals, refunds or cancels an order, whatever order id it names
        if (!event.trust().isClaim() && (EventNames.commerceEffect(event) != EventNames.CommerceEffect.NONE
                || event.properties().path("refunds").isArray())) return Kind.COMMERCE;
        if (event.source().isTracking() && (event.type() == EventType.PAGE || event.type() == EventType.SCREEN || BROWSING.contains(name))) {
            return Kind.VISIT;
        }
        return Kind.NONE;
    }

    /** An email's link clicked, or a text's short link tapped: both are clicks for attribution. */
    private static boolean clicked(String eventName) {
        return eventName.equals("Email Link Clicked") || eventName.equals(TextClicks.CLICKED);
    }

    private static Change touch(Ledger ledger, CanonicalEvent event, EmailSettings.Attribution windows) {
        JsonNode p = event.properties();
        String messageId = Json.text(p, "message_id");
        if (messageId == null) return null;
        String source = EmailStats.source(Json.text(p, "journey"), Json.text(p, "campaign"), Json.text(p, "template"));
        String kind = clicked(event.event()) ? Touch.CLICK : Touch.OPEN;
        List<Touch> touches = new ArrayList<>(ledger.touches().stream()
                .filter(t -> !(t.messageId().equals(messageId) && t.kind().equals(kind) && !t.at().isBefore(event.timestamp()))).toList());
        if (touches.size() < ledger.touches().size()) return null; // a later touch of the same kind is already kept
        touches.removeIf(t -> t.messageId().equals(messageId) && t.kind().equals(kind));
        Touch touch = new Touch(messageId, kind, event.timestamp(), source, Json.text(p, "step"), Json.text(p, "variant"), Json.text(p, "template"));
        touches.add(touch);
        Deltas deltas = new Deltas();
        Map<String, Order> orders = lateCredits(ledger.orders(), touch, Attribution.Windows.of(windows), deltas);
        return new Change(ledger.withTouches(Attribution.keep(touches, event.timestamp(), Attribution.Windows.of(windows), Ledger.TOUCHES_KEPT))
                .withOrders(orders).withEngagementAt(event.timestamp()), deltas.list());
    }

    /**
     * A touch counted after an order it preceded (SES's Click comes seconds to minutes after the click; the order's webhook
     * can come first): an order credited to nothing, placed after the touch and within its window, is credited to it now,
     * on the order's day, as it would have been had the touch been counted first. An order already credited keeps its
     * credits: the touches it had were all there was when it came.
     */
    private static Map<String, Order> lateCredits(Map<String, Order> orders, Touch touch, Attribution.Windows windows, Deltas deltas) {
        Map<String, Order> next = new LinkedHashMap<>(orders);
        orders.forEach((orderId, o) -> {
            if (!o.credits().isEmpty() || o.cancelled() || o.currency() != null || o.at() == null || o.at().isBefore(touch.at())) return;
            List<Credit> credits = Attribution.credit(List.of(touch), o.at(), windows);
            if (credits.isEmpty()) return;
            credit(credits, o.total().subtract(o.refunded() == null ? BigDecimal.ZERO : o.refunded()), BigDecimal.ONE, o.day(), deltas);
            next.put(orderId, new Order(o.total(), o.day(), o.at(), credits, o.arms(), o.refunds(), o.refunded(), false, null));
        });
        return next;
    }

    private static Change visit(Ledger ledger, CanonicalEvent event) {
        Instant at = event.timestamp();
        Map<String, BigDecimal> counts = new TreeMap<>();
        boolean newSession = ledger.lastActivity() == null || Duration.between(ledger.lastActivity(), at).compareTo(SESSION_IDLE) > 0;
        boolean carted = !newSession && ledger.sessionCarted();
        if (newSession) counts.put("sessions", BigDecimal.ONE);
        // product views, adds to cart and checkouts are counted as the ingest stores them (eventCount); what needs the
        // person's ledger is the session's
        if ("Product Added".equals(event.event())) {
            if (!carted) counts.put("carted_sessions", BigDecimal.ONE);
            carted = true;
        }
        boolean recent = ledger.lastActivity() != null && !at.isAfter(ledger.lastActivity().plus(ACTIVITY_GRAIN));
        if (counts.isEmpty() && recent && carted == ledger.sessionCarted()) return null;
        Instant last = ledger.lastActivity() != null && ledger.lastActivity().isAfter(at) ? ledger.lastActivity() : at;
        return Change.counting(ledger.withActivity(last, carted), counts.isEmpty() ? List.of() : List.of(new Delta(SHOP, day(at), counts)));
    }

    private static Change nps(Ledger ledger, CanonicalEvent event) {
        int score = event.properties().path("score").asInt(-1);
        if (score < 0 || score > 10) return null;
        String group = score >= 9 ? "nps:promoters" : score >= 7 ? "nps:passives" : "nps:detractors";
        return new Change(ledger, List.of(new Delta(SHOP, day(event.timestamp()), Map.of("nps:responses", BigDecimal.ONE, group, BigDecimal.ONE))));
    }

    /** An order event: a new order, a changed total, a cancellation, and any refunds riding on it. */
    private Change commerce(String shopId, ShopEmail.Snapshot shop, Contact contact, Ledger ledger, CanonicalEvent event) {
        JsonNode p = event.properties();
        String orderId = Json.text(p, "order_id");
        if (orderId == null) return null;
        Deltas deltas = new Deltas();
        List<Recorded> referrals = new ArrayList<>();
        Map<String, Order> orders = new LinkedHashMap<>(ledger.orders());
        Map<String, Arm> arms = new HashMap<>(ledger.arms());
        Order order = orders.get(orderId);
        switch (EventNames.commerceEffect(event)) {
            case ORDER -> {
                BigDecimal total = Commerce.amount(p, "total");
                String currency = Json.text(p, "currency");
                if (order == null && currency != null && !currency.equals(shop.settings().currency())) {
                    order = placeApart(event, total, currency, deltas);
                } else if (order == null) {
                    order = place(shopId, shop, contact, event, total, ledger.touches(), arms, deltas, referrals);
                } else if (!order.cancelled() && total.compareTo(order.total()) != 0) {
                    order = retotal(order, total, arms, deltas);
                }
            }
            case CANCELLATION -> {
                if (order != null && !order.cancelled()) order = cancel(order, arms, deltas);
            }
            case REFUND, NONE -> { }
        }
        if (order != null) {
            for (JsonNode refund : p.path("refunds")) {
                String refundId = Json.text(refund, "refund_id");
                if (refundId != null && !order.refunds().contains(refundId)) order = refund(order, refundId, Commerce.amount(refund, "amount"), arms, deltas);
            }
            orders.put(orderId, order);
        }
        if (deltas.isEmpty() && order == ledger.orders().get(orderId)) return null;
        BigDecimal spendChange = ledger.netSpend(orders, null).subtract(ledger.netSpend(ledger.orders(), null));
        while (orders.size() > Ledger.ORDERS_KEPT) orders.remove(orders.keySet().iterator().next());
        return new Change(ledger.withOrders(orders).withArms(arms), deltas.list(), List.copyOf(referrals), spendChange);
    }

    private Order place(String shopId, ShopEmail.Snapshot shop, Contact contact, CanonicalEvent event, BigDecimal total, List<Touch> touches,
                        Map<String, Arm> arms, Deltas deltas, List<Recorded> referrals) {
        EmailSettings.Attribution windows = shop.settings().attribution();
        Instant at = event.timestamp();
        LocalDate day = day(at);
        boolean repeat = contact.commerce().orderTotals().size() > 1;
        deltas.add(SHOP, day, "orders", BigDecimal.ONE);
        deltas.add(SHOP, day, "revenue", total);
        deltas.add(SHOP, day, repeat ? "repeat_orders" : "first_orders", BigDecimal.ONE);
        List<Credit> credits = Attribution.credit(redeemed(shopId, shop, contact, event, total, touches, deltas, referrals), at, Attribution.Windows.of(windows));
        credit(credits, total, BigDecimal.ONE, day, deltas);
        Map<String, BigDecimal> counted = new TreeMap<>();
        Map.copyOf(arms).forEach((source, arm) -> {
            if (at.isBefore(arm.enteredAt()) || at.isAfter(arm.enteredAt().plus(windows.lift()))) return;
            arms.put(source, inArm(source, arm, total, !arm.converted(), deltas));
            counted.put(source, total);
        });
        // conversion per segment: the segments the buyer is in as they order
        for (String segment : memberships.memberships(shopId, contact.contactId()).value().keySet()) {
            deltas.add(segmentGroup(segment), day, "orders", BigDecimal.ONE);
            deltas.add(segmentGroup(segment), day, "revenue", total);
        }
        return new Order(total, day, at, credits, counted, Set.of(), BigDecimal.ZERO, false, null);
    }

    /**
     * The touches an order is credited from, with the messages whose coupon codes it redeems: each code is marked redeemed
     * by this order (once; a second order naming it is refused by the first's answer), and the message that gave it counts
     * as touched at the order, so the last touch is the code's message whatever was opened or clicked since.
     */
    private List<Touch> redeemed(String shopId, ShopEmail.Snapshot shop, Contact buyer, CanonicalEvent event, BigDecimal total,
                                 List<Touch> touches, Deltas deltas, List<Recorded> referrals) {
        String orderId = Json.text(event.properties(), "order_id");
        LoyaltyProgramme programme = shop.settings().loyalty();
        String referralCoupon = programme == null || programme.referral() == null ? null : programme.referral().coupon();
        Set<String> codes = new LinkedHashSet<>();
        String first = Json.text(event.properties(), "coupon");
        if (first != null) codes.add(first);
        event.properties().path("coupons").forEach(c -> { if (c.isTextual()) codes.add(c.asText()); });
        List<Touch> all = new ArrayList<>(touches);
        for (String code : codes.stream().limit(MAX_CODES_AN_ORDER).toList()) {
            Optional<CouponCodes.Given> shared = referralCoupon == null ? Optional.empty()
                    : coupons.find(shopId, code).filter(g -> g.couponId().equals(referralCoupon));
            if (shared.isPresent()) {
                // an advocate's code, which many friends use: credits the advocate, never marked used up
                referral(shopId, shop, buyer, event, total, shared.get(), deltas, referrals);
                continue;
            }
            coupons.redeem(shopId, code, orderId, event.timestamp())
                    .filter(given -> orderId.equals(given.redeemedBy()) && given.giver().messageId() != null)
                    .ifPresent(given -> {
                        CouponCodes.Giver g = given.giver();
                        all.add(new Touch(g.messageId(), Touch.COUPON, event.timestamp(), EmailStats.source(g.journey(), g.campaign(), g.template()),
                                g.step(), g.variant(), g.template()));
                    });
        }
        return all;
    }

    /**
     * A friend's order with an advocate's referral code: on the friend's first order, the advocate is credited ({@code
     * Referral Converted}, which the programme gives points for, with a unique thank-you code of the referral's reward
     * coupon). Refused as self-referral when the buyer is the advocate (one profile, or the same email or phone); a
     * repeat customer's order is no referral. Both counted for the loyalty report.
     */
    private void referral(String shopId, ShopEmail.Snapshot shop, Contact buyer, CanonicalEvent event, BigDecimal total,
                          CouponCodes.Given code, Deltas deltas, List<Recorded> referrals) {
        LocalDate day = day(event.timestamp());
        Optional<Contact> advocate = contacts.current(shopId, code.contactId());
        if (advocate.isEmpty()) return;
        Contact a = advocate.get();
        String refused = a.contactId().equals(buyer.contactId()) || buyer.historyIds().contains(a.contactId()) ? "same_person"
                : a.email() != null && a.email().equalsIgnoreCase(buyer.email()) ? "same_email"
                : samePhone(a, buyer, shop.settings().sms()) ? "same_phone"
                : sameAddress(shopId, a, event) ? "same_address"
                : buyer.commerce().orders() > 1 ? "not_first_order" : null;
        if (refused != null) {
            deltas.add(SHOP, day, "referrals_refused:" + refused, BigDecimal.ONE);
            return;
        }
        String orderId = Json.text(event.properties(), "order_id");
        ObjectNode props = Json.object().put("friend", buyer.contactId()).put("order_id", orderId).put("code", code.code()).put("total", total);
        String reward = shop.settings().loyalty().referral().reward();
        Coupon rewardCoupon = reward == null ? null : shop.coupons().get(reward);
        if (rewardCoupon != null) {
            String key = "referral-reward:" + orderId;
            coupons.give(shopId, rewardCoupon.id(), new CouponCodes.Giver(key, a.contactId(), null, null, null, null, null, null), event.timestamp())
                    .ifPresent(given -> props.put("reward_code", given.code()).put("reward_expires_at", rewardCoupon.expiresAt(given.at()).toString()));
        }
        referrals.add(new Recorded(a, "referral:" + orderId, LoyaltyProgramme.REFERRAL_CONVERTED, props, event.timestamp()));
        deltas.add(SHOP, day, "referrals", BigDecimal.ONE);
        deltas.add(SHOP, day, "referral_revenue", total);
    }

    /** Whether the order ships where one of the advocate's recent orders shipped (their fingerprints, {@code ingest.Fields}). */
    private boolean sameAddress(String shopId, Contact advocate, CanonicalEvent order) {
        String fingerprint = Json.text(order.properties(), "address_fingerprint");
        if (fingerprint == null) return false;
        return contacts.recentEvents(shopId, advocate.historyIds(), ADVOCATE_EVENTS_READ).stream()
                .anyMatch(e -> e.properties() != null && fingerprint.equals(Json.text(e.properties(), "address_fingerprint")));
    }

    /** How many of an advocate's recent events a referral's address check reads (one query). */
    static final int ADVOCATE_EVENTS_READ = 100;

    /** The same number, each read as a text's number is (E.164, in the person's country or the shop's default). */
    private static boolean samePhone(Contact a, Contact b, EmailSettings.Sms sms) {
        Optional<String> number = EmailSending.textNumber(a, sms);
        return number.isPresent() && number.equals(EmailSending.textNumber(b, sms));
    }

    /** Codes an order may name that are looked up (Shopify and WooCommerce allow a few per order). */
    static final int MAX_CODES_AN_ORDER = 5;

    /**
     * An order in another currency than the shop's: money is kept per currency, so it is counted apart (orders and
     * revenue under {@code orders:EUR} and {@code revenue:EUR}, which the reports show beside the shop's), and never
     * added to the shop's revenue, credited to emails or compared between holdout groups, where amounts of different
     * currencies would be summed.
     */
    private static Order placeApart(CanonicalEvent event, BigDecimal total, String currency, Deltas deltas) {
        Order order = new Order(total, day(event.timestamp()), event.timestamp(), List.of(), Map.of(), Set.of(), BigDecimal.ZERO, false, currency);
        deltas.add(SHOP, order.day(), order.key("orders"), BigDecimal.ONE);
        deltas.add(SHOP, order.day(), order.key("revenue"), total);
        return order;
    }

    /** The order's total changed (an edit): the difference counts wherever the order counted. */
    private static Order retotal(Order order, BigDecimal total, Map<String, Arm> arms, Deltas deltas) {
        BigDecimal change = total.subtract(order.total());
        deltas.add(SHOP, order.day(), order.key("revenue"), change);
        credit(order.credits(), change, BigDecimal.ZERO, order.day(), deltas);
        Map<String, BigDecimal> counted = inArms(order, change, arms, deltas);
        return new Order(total, order.day(), order.at(), order.credits(), counted, order.refunds(), order.refunded(), false, order.currency());
    }

    private static Order cancel(Order order, Map<String, Arm> arms, Deltas deltas) {
        BigDecimal left = order.total().subtract(order.refunded());
        deltas.add(SHOP, order.day(), order.key("orders"), BigDecimal.ONE.negate());
        deltas.add(SHOP, order.day(), order.key("cancelled"), BigDecimal.ONE);
        deltas.add(SHOP, order.day(), order.key("revenue"), left.negate());
        credit(order.credits(), left.negate(), BigDecimal.ONE.negate(), order.day(), deltas);
        Map<String, BigDecimal> counted = inArms(order, left.negate(), arms, deltas);
        return new Order(order.total(), order.day(), order.at(), order.credits(), counted, order.refunds(), order.refunded(), true, order.currency());
    }

    /** A refund: on the order's day, out of the revenue, out of each email's credit by its share, out of each arm's revenue. */
    private static Order refund(Order order, String refundId, BigDecimal amount, Map<String, Arm> arms, Deltas deltas) {
        BigDecimal left = order.cancelled() ? BigDecimal.ZERO : order.total().subtract(order.refunded());
        BigDecimal taken = amount.min(left).max(BigDecimal.ZERO);
        Set<String> refunds = new HashSet<>(order.refunds());
        refunds.add(refundId);
        if (taken.signum() > 0) {
            deltas.add(SHOP, order.day(), order.key("refunded"), taken);
            credit(order.credits(), taken.negate(), BigDecimal.ZERO, order.day(), deltas);
        }
        Map<String, BigDecimal> counted = taken.signum() > 0 ? inArms(order, taken.negate(), arms, deltas) : order.arms();
        return new Order(order.total(), order.day(), order.at(), order.credits(), counted, Set.copyOf(refunds), order.refunded().add(taken),
                order.cancelled(), order.currency());
    }

    /** Adds {@code revenue} (and {@code orders}) to each credited email's source, by its share, under each model. */
    private static void credit(List<Credit> credits, BigDecimal revenue, BigDecimal orders, LocalDate day, Deltas deltas) {
        for (Credit c : credits) {
            BigDecimal share = BigDecimal.valueOf(c.share());
            String key = c.model() + "|" + (c.step() == null ? "-" : c.step()) + "|" + (c.variant() == null ? "-" : c.variant());
            deltas.add(attributionGroup(c.source()), day, key + "|revenue", revenue.multiply(share).setScale(4, RoundingMode.HALF_EVEN));
            if (orders.signum() != 0) deltas.add(attributionGroup(c.source()), day, key + "|orders", orders.multiply(share).setScale(4, RoundingMode.HALF_EVEN));
            deltas.add(SHOP, day, "attributed:" + c.model(), revenue.multiply(share).setScale(4, RoundingMode.HALF_EVEN));
        }
    }

    /** A change of an order's amount in each arm the order counted in (arms that ended since are left as they were). */
    private static Map<String, BigDecimal> inArms(Order order, BigDecimal change, Map<String, Arm> arms, Deltas deltas) {
        Map<String, BigDecimal> counted = new TreeMap<>(order.arms());
        order.arms().forEach((source, amount) -> {
            Arm arm = arms.get(source);
            if (arm == null || arm.enteredAt().isAfter(order.at())) return;
            arms.put(source, inArm(source, arm, change, false, deltas));
            counted.put(source, amount.add(change));
        });
        return counted;
    }

    /**
     * Revenue added to (or taken from) one arm. The group keeps the sum of each person's revenue
     * and the sum of its squares, so the report has the variance of revenue per person exactly.
     */
    private static Arm inArm(String source, Arm arm, BigDecimal change, boolean converts, Deltas deltas) {
        BigDecimal before = arm.revenue();
        BigDecimal after = before.add(change).max(BigDecimal.ZERO);
        String g = arm.group();
        if (converts) deltas.add(liftGroup(source), arm.cohort(), g + "_conv", BigDecimal.ONE);
        deltas.add(liftGroup(source), arm.cohort(), g + "_rev", after.subtract(before));
        deltas.add(liftGroup(source), arm.cohort(), g + "_rev2", after.multiply(after).subtract(before.multiply(before)));
        return new Arm(arm.holdout(), arm.enteredAt(), arm.cohort(), after, arm.converted() || converts);
    }

    /** Deltas gathered by group and day, each amount summed. */
    private static final class Deltas {
        private final Map<String, Map<String, BigDecimal>> byGroupDay = new LinkedHashMap<>();
        private final Map<String, Delta> keys = new LinkedHashMap<>();

        void add(String group, LocalDate day, String name, BigDecimal amount) {
            if (amount.signum() == 0) return;
            String key = group + "@" + day;
            keys.computeIfAbsent(key, k -> new Delta(group, day, Map.of()));
            byGroupDay.computeIfAbsent(key, k -> new TreeMap<>()).merge(name, amount, BigDecimal::add);
        }

        boolean isEmpty() {
            return byGroupDay.isEmpty();
        }

        List<Delta> list() {
            List<Delta> out = new ArrayList<>();
            byGroupDay.forEach((key, amounts) -> out.add(new Delta(keys.get(key).group(), keys.get(key).day(), Map.copyOf(amounts))));
            return out;
        }
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }
}
