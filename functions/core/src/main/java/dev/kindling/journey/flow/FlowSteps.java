package dev.kindling.journey.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.segment.Condition;
import dev.kindling.shop.LinkTokens;
import dev.kindling.contact.Consent;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.ShopEmail;
import dev.kindling.email.TemplateTypes;
import dev.kindling.engagement.EmailStats;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventPublisher;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.journey.HoldoutEntries;
import dev.kindling.journey.JourneyEntries;
import dev.kindling.journey.JourneyLauncher;
import dev.kindling.journey.flow.Flow.Step;
import dev.kindling.json.Json;
import dev.kindling.clv.ClvModels;
import dev.kindling.ratelimit.RateLimits;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.ScoreStore;
import dev.kindling.segment.Evaluator;
import dev.kindling.segment.Facts;
import dev.kindling.segment.MembershipStore;
import dev.kindling.send.EmailSending;
import dev.kindling.send.SendRequest;
import dev.kindling.send.SendResult;
import dev.kindling.settings.ShopSettings;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Duration;
import dev.kindling.engagement.EngagementHours;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One turn of a journey ({@link Flow}) on the interpreter state machine, in one Lambda invocation: everything up to
 * its next pause, so an email step costs one Task and one pause (two state transitions) and a wait for an event one.
 * On the first turn the entry rules run here — re-entry window, the shop's daily cap, holdout (stable per contact),
 * the entry's variant —
 * and the entry is counted and recorded beside the profile ({@code EXEC#}: erasure, goals and event waits find it);
 * then the contact must still exist, and the step walk ({@link FlowWalk}, whose header gives the order of the checks)
 * runs over the stores: the person's events since the entry, sends through the send path (idempotency key
 * {@code <execution>:<step>}, so a retried turn never sends twice), updates and bus events keyed the same way.
 *
 * <p>The turn answers the execution's state with {@code at} (the next step), {@code wake} and {@code sleep} (seconds,
 * what the pause waits at most) and {@code listen} (the events a wait for an event takes, else null); the pause is
 * a callback task ({@link #listen}) that JourneyStartFunction answers when such an event arrives. The journey's
 * end is {@link JourneyEnded}, which the state machine catches.
 */
public final class FlowSteps {
    private final ClvModels clv;
    private final HoldoutEntries reports;
    private final EngagementHours hours;
    static final int EVENTS_READ = 200;
    /** The event an update step records on the contact. */
    public static final String UPDATED_CONTACT = "Journey Updated Contact";
    /** The bus source of what journeys publish ({@code publish} steps, {@code journey.due}). */
    public static final String SOURCE = "kindling.journeys";

    private final ShopDirectory shops;
    private final ContactStore contacts;
    private final ScoreStore scores;
    private final MembershipStore memberships;
    private final ShopSettings settings;
    private final ShopEmail email;
    private final EmailSending sending;
    private final JourneyEntries entries;
    private final EmailStats stats;
    private final KindlingEvents events;
    private final EventPublisher bus;
    private final LinkTokens tokens;
    private final JourneyLauncher launcher;
    private final RateLimits limits;
    private final Clock clock;
    private final String publicBaseUrl;

    public FlowSteps(ShopDirectory shops, ContactStore contacts, ScoreStore scores, MembershipStore memberships, ShopSettings settings,
                     ShopEmail email, EmailSending sending, JourneyEntries entries, EmailStats stats, KindlingEvents events,
                     EventPublisher bus, LinkTokens tokens, JourneyLauncher launcher, RateLimits limits, HoldoutEntries reports, ClvModels clv, Clock clock, String publicBaseUrl,
                     EngagementHours hours) {
        this.hours = hours;
        this.limits = limits;
        this.clv = clv;
        this.reports = reports;
        this.shops = shops;
        this.contacts = contacts;
        this.scores = scores;
        this.memberships = memberships;
        this.settings = settings;
        this.email = email;
        this.sending = sending;
        this.entries = entries;
        this.stats = stats;
        this.events = events;
        this.bus = bus;
        this.tokens = tokens;
        this.launcher = launcher;
        this.clock = clock;
        this.publicBaseUrl = publicBaseUrl;
    }

    public ObjectNode advance(JsonNode input) {
        ObjectNode state = input.deepCopy();
        // an entry turned already by its schedule ({@link #onSchedule}): this first Turn of its execution hands it to its Pause
        if (state.remove(TURNED) != null) return state;
        String shopId = text(state, "shopId");
        // the turn's counters (its entry, the steps it reaches, where it ends) are added together as it ends, however it ends
        EmailStats.Tally tally = new EmailStats.Tally();
        try {
            return advance(state, shopId, tally);
        } finally {
            tally.addTo(stats, shopId, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        }
    }

    private ObjectNode advance(ObjectNode state, String shopId, EmailStats.Tally tally) {
        String contactId = text(state, "contactId");
        String execution = text(state, "execution");
        Flow flow = FlowParser.parse(text(state, "journey"), state.get("flow"), TemplateTypes.ANY);
        Instant now = clock.instant();
        if (!state.hasNonNull("enteredAt")) {
            // the entry's time is the start request's, so a retried first turn records the same entry, not a re-entry
            Instant at = state.hasNonNull("requestedAt") ? Instant.parse(state.get("requestedAt").asText()) : now;
            // a start scheduled for the end of the journey's first wait begins after it (JourneyStarter), the wait reached
            int from = state.path("at").asInt(0);
            enter(flow, shopId, contactId, execution, at, tally, from > 0);
            if (!flow.variants().isEmpty()) {
                state.put("variant", Buckets.pick(contactId + "|" + flow.id() + "|variant", flow.variants(), Flow.Variant::weight).name());
            }
            for (int skipped = 0; skipped < from && skipped < flow.steps().size(); skipped++) countStep(tally, flow, flow.steps().get(skipped).id(), EmailStats.REACHED);
            state.put("enteredAt", at.toString()).put("at", from);
        }
        // heard, or done waiting: nothing left to answer (the one place a listener is cleared; a used token answers nothing)
        if (state.path("listen").isObject()) entries.heard(shopId, contactId, flow.id(), execution);
        JsonNode named = state.get("trigger");
        try {
            Contact contact = contacts.current(shopId, contactId).orElseThrow(() -> new JourneyEnded("no_contact"));
            state.set("trigger", resolvedTrigger(shopId, contactId, named));
            ObjectNode next = FlowWalk.turn(flow, state, new Stores(flow, shopId, contact, execution, Instant.parse(state.get("enteredAt").asText()), now, tally), now);
            // the state goes back to Step Functions, whose history keeps it: with the trigger as it was named, ids only
            if (named != null) next.set("trigger", named);
            return next;
        } catch (JourneyEnded ended) {
            boolean completed = ended.getMessage().equals("completed");
            count(tally, flow, completed ? "completed" : EmailStats.EXITED + ended.getMessage());
            // and where: the step each exit or goal left from (the end of the steps is the journey's "completed")
            if (!completed && ended.step() != null) countStep(tally, flow, ended.step(), EmailStats.EXITED + ended.getMessage());
            throw ended;
        }
    }

    /**
     * A turn a one-time schedule invokes: the first of an entry whose journey begins with a wait, taken when the wait is
     * over ({@link JourneyLauncher#startAt}), or the next after a plain wait ({@link JourneyLauncher#nextTurnAt}). Such a
     * turn holds no execution: a journey that ends in it (a browse reminder, a thank-you) made none and paid no state
     * transition, and one that pauses for a time again schedules its next turn the same way (an abandoned checkout's
     * reminders a day apart). Only a wait for an event needs Step Functions, whose callback task holds the token the
     * event answers: the entry is started then under its name, turned already, and the execution's first Turn hands it
     * on as it is to its Pause (a Lambda invocation and the one transition a Choice state would cost, paid by these
     * entries only, not by every entry started at once). A repeated invocation turns again as a retried Turn does (its sends and
     * updates keyed by execution and step do nothing twice) and finds its next turn scheduled or its execution started:
     * still one entry.
     *
     * @return the state handed on (to the next turn's schedule or the execution), or {@code {"ended": reason}} when the
     *         journey ended in the turn
     */
    public JsonNode onSchedule(JsonNode input) {
        ObjectNode state;
        try {
            state = advance(input);
        } catch (JourneyEnded ended) {
            return Json.object().put("ended", ended.getMessage());
        }
        String journey = text(state, "journey"), execution = text(state, "execution");
        if (state.path("listen").isObject()) {
            state.put("action", "turn").put(TURNED, true); // what each Turn of the execution asks JourneyFunction for; this one, nothing
            launcher.start(journey, execution, state);
        } else {
            int turn = state.path(SCHEDULED_TURN).asInt(0) + 1;
            state.put("action", SCHEDULED).put(SCHEDULED_TURN, turn);
            launcher.nextTurnAt(journey, execution, turn, state, Instant.parse(text(state, "wake")));
        }
        return state;
    }

    /** The action of a turn a schedule invokes ({@link #onSchedule}), and the field counting an entry's scheduled turns. */
    public static final String SCHEDULED = "scheduled", SCHEDULED_TURN = "scheduledTurn";
    /** Marks the state an execution starts with when its entry was turned on a schedule: its first Turn passes it on. */
    public static final String TURNED = "turned";

    /** The fields of a trigger that names a stored event (see {@link #storedTrigger}). */
    static final String STORED_EVENT = "stored_event", STORED_AT = "stored_at";

    /**
     * When a send step can go to the person without being deferred for quiet hours ({@link EmailSending#outsideQuietHours}):
     * a marketing message's from {@code at}, a transactional one's at once.
     */
    public static Instant sendableAt(EmailSettings settings, Step.Send step, Contact contact, Instant at) {
        if (!SendRequest.Kind.marketing.name().equals(step.kind())) return at;
        return EmailSending.outsideQuietHours(settings, step.channel(), contact, at);
    }

    /**
     * The trigger an execution's input names: the stored event's name, id and time, never its properties. Step
     * Functions keeps an execution's input and every state of it in its history for 90 days after it ends, which no
     * API deletes, so the input carries ids only and each turn reads the event from the table, where an erasure
     * reaches it ({@link #resolvedTrigger}: one read of the event item per turn).
     */
    public static ObjectNode storedTrigger(CanonicalEvent event) {
        return storedTrigger(event.event(), event.messageId(), event.timestamp());
    }

    /** A trigger naming the event stored with this message id at this time, read as {@code name}. */
    public static ObjectNode storedTrigger(String name, String messageId, Instant at) {
        return Json.object().put("name", name).put(STORED_EVENT, messageId).put(STORED_AT, at.toString());
    }

    /**
     * The trigger as the turn's steps read it: a stored event's properties, with its {@code name} and {@code trust} (how
     * far its data is believed: the links its emails may carry, {@code send.LinkPolicy}); a trigger given inline (a
     * segment's, a date's, the admin API's, the simulator's, or one started before triggers were stored) as it is; an
     * event since erased or expired as its name alone.
     */
    private JsonNode resolvedTrigger(String shopId, String contactId, JsonNode named) {
        if (named == null || !named.hasNonNull(STORED_EVENT)) return named;
        String messageId = named.get(STORED_EVENT).asText();
        // by its key; else among the person's latest (an entry retried after a crash names the time of its retry)
        ObjectNode trigger = contacts.event(shopId, contactId, Instant.parse(named.get(STORED_AT).asText()), messageId)
                .or(() -> contacts.recentEvents(shopId, List.of(contactId), EVENTS_READ).stream().filter(e -> messageId.equals(e.messageId())).findFirst())
                .map(e -> (e.properties() == null ? Json.object() : e.properties().deepCopy())
                        .put("trust", e.trust().wireName()))
                .orElseGet(Json::object);
        return trigger.put("name", named.path("name").asText());
    }

    /** The world of a real turn: the person's profile and events from the stores, sends through the send path, events on the bus. */
    private final class Stores implements FlowWalk.World {
        private final Flow flow;
        private final String shopId;
        private final Contact contact;
        private final String execution;
        private final Instant now;
        private final List<CanonicalEvent> since;
        private final EmailStats.Tally tally;
        private Facts facts;

        Stores(Flow flow, String shopId, Contact contact, String execution, Instant entered, Instant now, EmailStats.Tally tally) {
            this.flow = flow;
            this.tally = tally;
            this.shopId = shopId;
            this.contact = contact;
            this.execution = execution;
            this.now = now;
            this.since = contacts.recentEvents(shopId, contact.historyIds(), entered, EVENTS_READ);
        }

        @Override
        public List<CanonicalEvent> sinceEntry() {
            return since;
        }

        @Override
        public ConsentChange.State consent(String purpose) {
            Consent c = contact.consent().get(purpose);
            return c == null ? ConsentChange.State.not_given : c.state();
        }

        @Override
        public ZoneId zone() {
            return contact.traits().zoneOr(ZoneOffset.UTC);
        }

        @Override
        public int bestHour(LocalDate day) {
            return hours.bestLocalHour(shopId, contact.contactId(), day, zone());
        }

        @Override
        public Instant sendableAt(Step.Send step, Instant at) {
            return FlowSteps.sendableAt(email.current(shopId).settings(), step, contact, at);
        }

        /** Read once per turn, at the first branch that needs them: the scores, memberships and history segments judge. */
        @Override
        public boolean holds(Condition condition) {
            if (facts == null) {
                ScoreState score = scores.scores(shopId, contact.contactId()).value();
                List<CanonicalEvent> history = contacts.recentEvents(shopId, contact.historyIds(), EVENTS_READ);
                facts = new Facts(contact, score.pointsAt(settings.current(shopId).scoring(), now), score.stage(),
                        memberships.memberships(shopId, contact.contactId()).value().keySet(), history, now, () -> clv.current(shopId));
            }
            return Evaluator.matches(condition, facts);
        }

        /** The journey's data and the links the step asks for go with the trigger's properties ({@code event}) to the template. */
        @Override
        public SendResult send(Step.Send send, String template, ObjectNode state) {
            String key = execution + ":" + send.id();
            ObjectNode context = Json.object();
            context.set("event", state.path("trigger").isObject() ? state.get("trigger") : Json.object());
            context.put("journey_key", state.path("key").asText(""));
            ObjectNode data = flow.data().deepCopy();
            context.set("data", data);
            if (!send.links().isEmpty()) {
                Shop shop = shops.byId(shopId).orElseThrow(() -> new IllegalArgumentException("unknown shop " + shopId));
                for (String link : send.links()) {
                    switch (link) {
                        case "confirm" -> {
                            // a confirmation goes only to someone who asked and must confirm (consent pending, the shop's double opt-in)
                            if (consent(ConsentChange.EMAIL_MARKETING) != ConsentChange.State.pending || !email.current(shopId).settings().doubleOptIn()) return null;
                            context.putObject("links").put("confirm", publicBaseUrl + "/email/" + shopId + "/confirm?t="
                                    + tokens.issue(shop, LinkTokens.Purpose.CONFIRM, contact.contactId(), EmailSending.messageId(shopId, key), null));
                        }
                        case "review" -> data.put("review_url", publicBaseUrl + "/journeys/" + shopId + "/review?t="
                                + tokens.issue(shop, LinkTokens.Purpose.SURVEY, contact.contactId(), execution, null));
                        case "nps" -> {
                            String token = tokens.issue(shop, LinkTokens.Purpose.SURVEY, contact.contactId(), execution, null);
                            ArrayNode links = data.putArray("nps_links");
                            for (int score = 0; score <= 10; score++) {
                                links.addObject().put("score", score).put("url", publicBaseUrl + "/journeys/" + shopId + "/nps?t=" + token + "&score=" + score);
                            }
                        }
                        default -> throw new IllegalStateException("link " + link);
                    }
                }
            }
            // a step's coupon gives a unique code when the shop has that coupon; without it the journey's data (a static
            // code, as the shipped journeys carry) is what the template shows
            String coupon = send.coupon() != null && email.current(shopId).coupons().containsKey(send.coupon()) ? send.coupon() : null;
            return sending.send(new SendRequest(shopId, contact.contactId(), template, SendRequest.Kind.valueOf(send.kind()), key, context,
                    new SendRequest.Tags(flow.id(), null, send.id(), state.path("variant").asText(null)), null, SendRequest.Pacing.BOTH, send.channel(),
                    coupon, null), email -> tally.count(EmailStats.Key.of(email), "send")); // counted with the turn's others
        }

        /** Keyed by the execution and step: a retried turn records it once. */
        @Override
        public void update(Step.Update update) {
            events.record(shopId, execution + ":" + update.id(), KindlingEvents.Person.of(contact), UPDATED_CONTACT,
                    Json.object().put("journey", flow.id()).put("step", update.id()), update.traits(), null, null, now);
        }

        @Override
        public void publish(Step.Publish publish, CanonicalEvent carried) {
            ObjectNode detail = publish.detail().deepCopy();
            detail.put("id", execution + ":" + publish.id()).put("shopId", shopId).put("contactId", contact.contactId())
                    .put("journey", flow.id()).put("step", publish.id()).put("at", now.toString());
            if (contact.email() != null) detail.put("email", contact.email());
            detail.put("doNotSell", contact.doNotSell());
            if (carried != null) {
                detail.putObject("event").put("name", carried.event()).put("at", carried.timestamp().toString())
                        .set("properties", carried.properties() == null ? Json.object() : carried.properties());
            }
            bus.publish(List.of(new BusEvent(SOURCE, publish.detailType(), now, detail)));
        }

        /** The step's own counter, added with the turn's others (a turn Step Functions retries counts it again). */
        @Override
        public void reached(Step step) {
            countStep(tally, flow, step.id(), EmailStats.REACHED);
        }
    }

    /**
     * The pause's callback task: a wait for an event records the task's token on the execution's {@code EXEC#} item,
     * where JourneyStartFunction finds it when such an event arrives (SendTaskSuccess). An event that came between the
     * turn and now is answered here, so none falls between the two. A plain wait listens for nothing: the pause's
     * timeout ends it.
     */
    public ObjectNode listen(JsonNode request) {
        JsonNode listen = request.path("state").path("listen");
        if (!listen.isObject()) return Json.object().put("listening", false);
        JsonNode state = request.get("state");
        String shopId = text(state, "shopId");
        String contactId = text(state, "contactId");
        String journey = text(state, "journey");
        String execution = text(state, "execution");
        String token = text(request, "token");
        JourneyEntries.Listening listening = FlowWalk.listening(listen, token, Instant.parse(text(state, "wake")));
        entries.listen(shopId, contactId, journey, execution, listening);
        Contact contact = contacts.current(shopId, contactId).orElse(null);
        if (contact != null) {
            for (CanonicalEvent e : contacts.recentEvents(shopId, contact.historyIds(), Instant.parse(text(listen, "since")), EVENTS_READ)) {
                if (heard(listening, e)) {
                    launcher.resume(journey, token, heardAs(e)); // the next turn clears the listener
                    break;
                }
            }
        }
        return Json.object().put("listening", true);
    }

    /** Whether an event is one the listening execution waits for. */
    public static boolean heard(JourneyEntries.Listening listening, CanonicalEvent e) {
        return FlowWalk.heard(listening, e);
    }

    /** What SendTaskSuccess gives the waiting execution: the event it heard. */
    public static ObjectNode heardAs(CanonicalEvent e) {
        return Json.object().put("event", e.event()).put("at", e.timestamp().toString());
    }

    /** @param scheduled a start JourneyStarter scheduled, which recorded the execution as it did (unless it stopped first) */
    private void enter(Flow flow, String shopId, String contactId, String execution, Instant now, EmailStats.Tally tally, boolean scheduled) {
        if (!flow.enabled()) {
            count(tally, flow, "disabled");
            throw new JourneyEnded("disabled");
        }
        if (flow.reentryDays() > 0 && !entries.enter(shopId, contactId, flow.id(), now, now.minus(Duration.ofDays(flow.reentryDays())))) {
            count(tally, flow, "reentry");
            throw new JourneyEnded("reentry");
        }
        // the shop's daily cap counts entries, held out or not (a first turn retried after the count may take a second place)
        if (flow.dailyCap() > 0 && !limits.allow(shopId, "journey-cap:" + flow.id(), flow.dailyCap(), Duration.ofDays(1), now)) {
            count(tally, flow, "capped");
            throw new JourneyEnded("capped");
        }
        boolean heldOut = Buckets.inHoldout(contactId + "|" + flow.id(), flow.holdoutPercent());
        // both groups are tracked for their orders when there is a holdout to compare with
        if (flow.holdoutPercent() > 0) reports.entered(shopId, contactId, "journey:" + flow.id(), heldOut, execution, now);
        if (heldOut) {
            count(tally, flow, "holdout");
            throw new JourneyEnded("holdout");
        }
        count(tally, flow, "entered");
        // recorded by the start that scheduled it, at the same time: read, not written again (a read is a fifth of a write)
        if (!scheduled || !entries.recorded(shopId, contactId, flow.id(), execution)) entries.running(shopId, contactId, flow.id(), execution, now);
    }

    private static void count(EmailStats.Tally tally, Flow flow, String what) {
        tally.count(journeyKey(flow.id()), what);
    }

    /** A step's daily counter (reached, exited_…), beside its emails' SES counts. */
    private static void countStep(EmailStats.Tally tally, Flow flow, String stepId, String what) {
        tally.count(new EmailStats.Key("journey:" + flow.id(), stepId, null), what);
    }

    /** A journey's daily counters (entered, holdout, reentry, exited_…, completed) that its stats read, in one write. */
    public static void countJourney(EmailStats stats, String shopId, LocalDate day, String journey, String... what) {
        Map<String, Long> counts = new TreeMap<>();
        for (String counter : what) counts.merge(counter, 1L, Long::sum);
        stats.add(shopId, day, journeyKey(journey), counts);
    }

    private static EmailStats.Key journeyKey(String journey) {
        return new EmailStats.Key("journey:" + journey, "journey", null);
    }

    private static String text(JsonNode request, String field) {
        String value = Json.text(request, field);
        if (value == null) throw new IllegalArgumentException("journey turn needs " + field);
        return value;
    }
}
