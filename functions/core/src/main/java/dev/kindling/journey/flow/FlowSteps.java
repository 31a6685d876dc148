package dev.kindling.journey.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.engagement.EmailStats;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.journey.JourneyEntries;
import dev.kindling.journey.JourneySettings;
import dev.kindling.journey.JourneySteps;
import dev.kindling.journey.flow.Flow.Step;
import dev.kindling.json.Json;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.ScoreStore;
import dev.kindling.segment.Evaluator;
import dev.kindling.segment.Facts;
import dev.kindling.segment.MembershipStore;
import dev.kindling.send.EmailSending;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.SendRequest;
import dev.kindling.send.SendResult;
import dev.kindling.settings.ShopSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * One turn of a written journey ({@link Flow}) on the interpreter state machine: everything up to its next
 * pause, in one Lambda invocation, so a step costs one Task and one Wait (two state transitions) where the
 * shipped journeys spend four or five. The order, each turn:
 * <ol>
 *   <li>on the first turn, the entry rules: re-entry window, holdout (stable per contact); then the entry is
 *       counted and recorded beside the profile ({@code EXEC#}: erasure and goals find it);</li>
 *   <li>the contact still exists and has reached no goal since the entry (a goal event also ends the
 *       journey at once on arrival: StopExecution);</li>
 *   <li>steps in order from where the last turn stopped: a send (idempotency key {@code <execution>:<step>},
 *       so a retried turn never sends twice; one the send path defers is tried again when it says), a branch, a
 *       split, an update of the contact and a bus event (both keyed the same way), and a wait, which ends the turn
 *       with the time to wake.</li>
 * </ol>
 * The turn answers the execution's state with {@code at} (the next step) and {@code wake}; the journey's end
 * is {@link JourneyEnded}, which the state machine catches.
 */
public final class FlowSteps {
    static final int EVENTS_READ = 200;
    /** The event an update step records on the contact. */
    public static final String UPDATED_CONTACT = "Journey Updated Contact";

    private final ContactStore contacts;
    private final ScoreStore scores;
    private final MembershipStore memberships;
    private final ShopSettings settings;
    private final EmailSending sending;
    private final JourneyEntries entries;
    private final EmailStats stats;
    private final KindlingEvents events;
    private final EventPublisher bus;
    private final Clock clock;

    public FlowSteps(ContactStore contacts, ScoreStore scores, MembershipStore memberships, ShopSettings settings, EmailSending sending,
                     JourneyEntries entries, EmailStats stats, KindlingEvents events, EventPublisher bus, Clock clock) {
        this.events = events;
        this.bus = bus;
        this.contacts = contacts;
        this.scores = scores;
        this.memberships = memberships;
        this.settings = settings;
        this.sending = sending;
        this.entries = entries;
        this.stats = stats;
        this.clock = clock;
    }

    public ObjectNode advance(JsonNode input) {
        ObjectNode state = input.deepCopy();
        String shopId = text(state, "shopId");
        String contactId = text(state, "contactId");
        String execution = text(state, "execution");
        Flow flow = FlowParser.parse(text(state, "journey"), state.get("flow"), template -> true);
        Instant now = clock.instant();
        if (!state.hasNonNull("enteredAt")) {
            // the entry's time is the start request's, so a retried first turn records the same entry, not a re-entry
            Instant at = state.hasNonNull("requestedAt") ? Instant.parse(state.get("requestedAt").asText()) : now;
            enter(flow, shopId, contactId, execution, at);
            state.put("enteredAt", at.toString()).put("at", 0);
        }
        Instant entered = Instant.parse(state.get("enteredAt").asText());
        Contact contact = contacts.current(shopId, contactId).orElseThrow(() -> end(flow, shopId, "no_contact"));
        List<CanonicalEvent> since = contacts.recentEvents(shopId, contact.historyIds(), entered, EVENTS_READ);
        for (CanonicalEvent e : since) {
            if (e.event() != null && flow.goals().contains(e.event())) throw end(flow, shopId, "goal");
        }
        for (int at = state.path("at").asInt(); ; ) {
            if (at >= flow.steps().size()) throw end(flow, shopId, "completed");
            Step step = flow.steps().get(at);
            switch (step) {
                case Step.Send send -> {
                    SendResult sent = sending.send(new SendRequest(shopId, contactId, send.template(), SendRequest.Kind.valueOf(send.kind()),
                            execution + ":" + send.id(), context(state), new SendRequest.Tags(flow.id(), null, send.id(), state.path("variant").asText(null)), null));
                    if (sent.status() == MessageRecord.Status.deferred && sent.until() != null) {
                        return state.put("at", at).put("wake", sent.until().toString()); // the same step, the same key, later
                    }
                    at++;
                }
                case Step.Wait wait -> {
                    return state.put("at", at + 1).put("wake", wake(wait, contact, now).toString());
                }
                case Step.Branch branch -> {
                    String target = holds(branch, shopId, contact, since, now) ? branch.then() : branch.otherwise();
                    if (Flow.END.equals(target)) throw end(flow, shopId, "completed");
                    at = target == null ? at + 1 : flow.indexOf(target);
                }
                case Step.Exit exit -> throw end(flow, shopId, "exited");
                case Step.Split split -> {
                    Step.Split.Arm arm = arm(split, flow, contactId);
                    state.put("variant", arm.name());
                    if (Flow.END.equals(arm.then())) throw end(flow, shopId, "completed");
                    at = flow.indexOf(arm.then());
                }
                case Step.Update update -> {
                    // keyed by the execution and step: a retried turn records it once
                    events.record(shopId, execution + ":" + update.id(), KindlingEvents.Person.of(contact), UPDATED_CONTACT,
                            Json.object().put("journey", flow.id()).put("step", update.id()), update.traits(), null, null, now);
                    at++;
                }
                case Step.Publish publish -> {
                    ObjectNode detail = publish.detail().deepCopy();
                    detail.put("id", execution + ":" + publish.id()).put("shopId", shopId).put("contactId", contactId)
                            .put("journey", flow.id()).put("step", publish.id()).put("at", now.toString());
                    if (contact.email() != null) detail.put("email", contact.email());
                    detail.put("doNotSell", contact.doNotSell());
                    bus.publish(List.of(new BusEvent(JourneySteps.SOURCE, publish.detailType(), now, detail)));
                    at++;
                }
            }
        }
    }

    private void enter(Flow flow, String shopId, String contactId, String execution, Instant now) {
        if (!flow.enabled()) throw end(flow, shopId, "disabled");
        if (flow.reentryDays() > 0 && !entries.enter(shopId, contactId, flow.id(), now, now.minus(java.time.Duration.ofDays(flow.reentryDays())))) {
            throw end(flow, shopId, "reentry");
        }
        if (JourneySettings.inHoldout(contactId + "|" + flow.id(), flow.holdoutPercent())) {
            count(shopId, flow, "holdout");
            throw new JourneyEnded("holdout");
        }
        count(shopId, flow, "entered");
        entries.running(shopId, contactId, flow.id(), execution, now);
    }

    private boolean holds(Step.Branch branch, String shopId, Contact contact, List<CanonicalEvent> sinceEntry, Instant now) {
        if (branch.did() != null) return sinceEntry.stream().anyMatch(e -> branch.did().equals(e.event()));
        ScoreState score = scores.scores(shopId, contact.contactId()).value();
        List<CanonicalEvent> events = contacts.recentEvents(shopId, contact.historyIds(), EVENTS_READ);
        Facts facts = new Facts(contact, score.pointsAt(settings.current(shopId).scoring(), now), score.stage(),
                memberships.memberships(shopId, contact.contactId()).value().keySet(), events, now);
        return Evaluator.matches(branch.condition(), facts);
    }

    /** The arm a contact takes, by weight, the same every time for this journey and step. */
    static Step.Split.Arm arm(Step.Split split, Flow flow, String contactId) {
        return JourneySettings.pick(contactId + "|" + flow.id() + "|" + split.id(), split.arms(), Step.Split.Arm::weight);
    }

    /** The end of a wait: after its duration, or the next time the contact's clock shows its time of day (UTC when their zone is unknown). */
    static Instant wake(Step.Wait wait, Contact contact, Instant now) {
        if (wait.duration() != null) return now.plus(wait.duration());
        ZonedDateTime local = now.atZone(contact.traits().zoneOr(ZoneOffset.UTC));
        ZonedDateTime at = local.with(wait.until());
        return (at.isAfter(local) ? at : at.plusDays(1)).toInstant();
    }

    /** What the templates see of the entry: the trigger's properties as {@code event}, and the entry key. */
    private static ObjectNode context(JsonNode state) {
        ObjectNode context = Json.object();
        context.set("event", state.path("trigger").isObject() ? state.get("trigger") : Json.object());
        context.put("journey_key", state.path("key").asText(""));
        return context;
    }

    private JourneyEnded end(Flow flow, String shopId, String reason) {
        count(shopId, flow, reason.equals("completed") ? "completed" : "exited_" + reason);
        return new JourneyEnded(reason);
    }

    private void count(String shopId, Flow flow, String what) {
        JourneySteps.countJourney(stats, shopId, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), flow.id(), what);
    }

    private static String text(JsonNode request, String field) {
        String value = Json.text(request, field);
        if (value == null) throw new IllegalArgumentException("journey turn needs " + field);
        return value;
    }
}
