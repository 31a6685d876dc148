package dev.kindling.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.ShopEmail;
import dev.kindling.engagement.EmailStats;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventNames;
import dev.kindling.journey.flow.Flow;
import dev.kindling.journey.flow.FlowSteps;
import dev.kindling.journey.flow.Journeys;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which journeys an event starts, under which execution name, and what it does to the journeys the person is in
 * already. Every journey — the shipped ones and those a shop writes — is a {@link Flow} on the flow interpreter,
 * started by its trigger with one execution per key: one abandoned-checkout entry per checkout, one post-purchase
 * loop per order, one entry per contact and day otherwise (re-entry rules narrow it further). A duplicate delivery
 * finds the execution by its name and starts nothing. An event ends the running journeys it is the goal of and
 * answers those waiting for it ({@link #reachRunning}).
 */
public final class JourneyStarter {
    /** How far back a running execution can have started: Step Functions Standard runs an execution for at most a year. */
    static final Duration LONGEST_RUN = Duration.ofDays(366);
    /** The error an execution ended by its goal is stopped with (its cause names the event). */
    public static final String GOAL_REACHED = "Kindling.GoalReached";
    /** The scheduled refresh's bus event: a date-triggered journey's moment came for a contact ({@code source} {@value FlowSteps#SOURCE}). */
    public static final String JOURNEY_DUE = "journey.due";

    private final JourneyLauncher launcher;
    private final ContactStore contacts;
    private final ShopEmail email;
    private final JourneyEntries entries;
    private final EmailStats stats;
    private final Clock clock;
    private final Map<String, Parsed> parsedFlows = new ConcurrentHashMap<>();

    public JourneyStarter(JourneyLauncher launcher, ContactStore contacts, ShopEmail email, JourneyEntries entries, EmailStats stats, Clock clock) {
        this.launcher = launcher;
        this.contacts = contacts;
        this.email = email;
        this.entries = entries;
        this.stats = stats;
        this.clock = clock;
    }

    public record Started(String journey, String executionName, boolean started) {}

    /** What an event did to the journeys the person was in: those it ended as their goal, those whose wait it answered. */
    public record Reached(List<String> stopped, List<String> resumed) {}

    /**
     * An event reaches the journeys the person is in. It ends, at once, every one it is a goal of (an order ends the
     * abandoned checkout; the next order restarts the loyalty loop): StopExecution, not the next turn hours later, so no
     * reminder goes out after the goal and no further transition is paid for, counted as the journey's exit would be.
     * It answers every one waiting for it ({@code wait: {for: …}}: SendTaskSuccess to the pause's token). A goal ends
     * only executions started before the event happened, so a redelivered or imported old event ends nothing newer and
     * no event ends the entry it started; a wait hears an event from its entry on. The executions come from the
     * contact's {@code EXEC#} items, read only when some journey has the event as a goal or waits for it.
     *
     * @param flows the shop's journeys ({@link #flows}), read once per event for this and {@link #flowsOnEvent}
     */
    public Reached reachRunning(String shopId, String contactId, CanonicalEvent event, List<Flow> flows) {
        if (event.event() == null || EventNames.isClaimedOrder(event) || event.historical()) return new Reached(List.of(), List.of());
        Map<String, Flow> byId = new HashMap<>();
        boolean concerns = false;
        for (Flow flow : flows) {
            byId.put(flow.id(), flow);
            concerns |= flow.goals().containsKey(event.event()) || flow.awaited().contains(event.event());
        }
        if (!concerns) return new Reached(List.of(), List.of());
        List<String> stopped = new ArrayList<>();
        List<String> resumed = new ArrayList<>();
        Instant now = clock.instant();
        for (JourneyEntries.Started s : entries.startedSince(shopId, contactId, now.minus(LONGEST_RUN))) {
            Flow flow = byId.get(s.journey());
            String reason = flow == null ? null : flow.goals().get(event.event());
            if (reason != null) {
                if (!s.at().isBefore(event.timestamp())) continue; // a goal is what came after the entry, never its own trigger
                String what = EventNames.ORDER_COMPLETED.equals(event.event())
                        ? "order " + Json.text(event.properties() == null ? Json.object() : event.properties(), "order_id") : event.event();
                LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
                if (launcher.cancel(s.journey(), s.execution())) {
                    // ended during its first wait, before its first turn counted it: entered, and left by its goal
                    FlowSteps.countJourney(stats, shopId, today, s.journey(), "entered", "exited_" + reason);
                    stopped.add(s.execution());
                } else if (launcher.stop(s.journey(), s.execution(), GOAL_REACHED, reason + ": " + what)) {
                    FlowSteps.countJourney(stats, shopId, today, s.journey(), "exited_" + reason);
                    stopped.add(s.execution());
                }
            } else if (s.listening() != null && !event.timestamp().isBefore(s.at()) && FlowSteps.heard(s.listening(), event)
                    && !now.isAfter(s.listening().until())) {
                // the next turn clears the listener; a second such event before it finds the token used, which answers nothing
                if (launcher.resume(s.journey(), s.listening().token(), FlowSteps.heardAs(event))) resumed.add(s.execution());
            }
        }
        return new Reached(stopped, resumed);
    }

    /**
     * The shop's journeys (shipped and written, {@link Flow}) that are switched on, as saved now: parsed once per version
     * of the shop's documents (every ingested event asks, and there are eleven shipped definitions to read).
     */
    public List<Flow> flows(String shopId) {
        return parsed(shopId, email.current(shopId)).flows();
    }

    /** The flows of one snapshot of a shop's documents (the snapshot is the same object while its version stands). */
    private record Parsed(ShopEmail.Snapshot snapshot, List<Flow> flows) {}

    private Parsed parsed(String shopId, ShopEmail.Snapshot snapshot) {
        Parsed cached = parsedFlows.get(shopId);
        if (cached != null && cached.snapshot() == snapshot) return cached;
        Parsed fresh = new Parsed(snapshot, Journeys.enabled(snapshot.journeys()));
        parsedFlows.put(shopId, fresh);
        return fresh;
    }

    /** The journeys ({@link #flows}) an ingested event starts: those triggered by it, one entry per key. */
    public List<Started> flowsOnEvent(String shopId, String contactId, CanonicalEvent event, List<Flow> flows) {
        // imported history starts nothing: no welcome, no confirmation, no thank-you for a year-old order
        if (event.event() == null || EventNames.isClaimedOrder(event) || event.historical()) return List.of();
        List<Started> started = new ArrayList<>();
        JsonNode p = event.properties() == null ? Json.object() : event.properties();
        for (Flow flow : flows) {
            boolean starts = switch (flow.trigger()) {
                case Flow.Trigger.OnEvent on -> on.events().contains(event.event());
                case Flow.Trigger.OnSubscription ignored -> asksForEmail(event);
                default -> false;
            };
            if (!starts) continue;
            String key = switch (flow.key().kind()) {
                case "property" -> flow.key().names().stream().map(name -> Json.text(p, name)).filter(Objects::nonNull).findFirst().orElse(null);
                // a trait's value is the person's, not unique; and an execution's name outlives an erasure in Step Functions'
                // history, so it carries the value's hash, never the value
                case "trait" -> event.traits() == null || Json.text(event.traits(), flow.key().names().getFirst()) == null ? null
                        : contactId + "-" + Signatures.sha256Hex(Json.text(event.traits(), flow.key().names().getFirst())).substring(0, 16);
                // an execution's name is unique for 90 days: one entry per contact and day, reentryDays for a longer gap
                default -> contactAndDay(contactId, LocalDate.ofInstant(event.timestamp(), ZoneOffset.UTC).toString());
            };
            if (key == null) continue;
            started.add(launchFlow(shopId, contactId, flow, key, FlowSteps.storedTrigger(event)));
        }
        return started;
    }

    /** The written journeys a segment entry or exit starts. */
    public List<Started> flowsOnSegment(String shopId, String contactId, String segmentId, boolean entered, String at) {
        List<Started> started = new ArrayList<>();
        for (Flow flow : flows(shopId)) {
            if (!(flow.trigger() instanceof Flow.Trigger.OnSegment on) || !on.segmentId().equals(segmentId) || on.entered() != entered) continue;
            ObjectNode trigger = Json.object().put("name", entered ? "segment.entered" : "segment.exited").put("segment_id", segmentId);
            started.add(launchFlow(shopId, contactId, flow, flow.key().kind().equals("contact") ? contactAndDay(contactId, day(at)) : contactId, trigger));
        }
        return started;
    }

    /** A date-triggered journey whose moment came (found by the scheduled refresh): one entry per date. */
    public Optional<Started> flowDue(String shopId, String contactId, String flowId, String key, String due) {
        return flows(shopId).stream().filter(f -> f.id().equals(flowId) && f.trigger() instanceof Flow.Trigger.OnDate).findFirst()
                .map(flow -> launchFlow(shopId, contactId, flow, key, Json.object().put("name", "journey.due").put("due", due)));
    }

    /**
     * An entry the shop asks for through the admin API (a journey whose trigger is {@code api}): its key (or the contact
     * and day) names the execution, so the same call made twice is one entry; empty when no such journey is switched on.
     * The trigger names the stored event that records the request ({@link FlowSteps#storedTrigger}), never its data.
     */
    public Optional<Started> flowOnApi(String shopId, String contactId, String flowId, String key, ObjectNode trigger) {
        return flows(shopId).stream().filter(f -> f.id().equals(flowId) && f.trigger() instanceof Flow.Trigger.OnApi).findFirst()
                .map(flow -> launchFlow(shopId, contactId, flow, key != null ? key : apiEntryKey(contactId, clock.instant()), trigger));
    }

    /** The key of an API entry without one of its own: the contact and day. */
    public static String apiEntryKey(String contactId, Instant at) {
        return contactAndDay(contactId, LocalDate.ofInstant(at, ZoneOffset.UTC).toString());
    }

    /**
     * The execution's input is the state the turns pass on: the definition rides in it, so the entry keeps this version.
     * A journey that begins with a wait ({@link Flow#firstWait}) is begun when the wait is over, at its second step, by
     * JourneyFunction ({@link FlowSteps#onSchedule}: an execution only if it waits for an event), and recorded as the
     * person's now, so a goal reached meanwhile cancels it ({@link #reachRunning}): no execution and no state transition
     * for the hour an abandoned checkout waits, nor for one its order ends, nor for a reminder that is one send, nor for
     * the waits between reminders. An entry its re-entry
     * rule will refuse (the person entered within {@code reentryDays}) is not started at all; the first turn still
     * decides, as before, for what this read did not see.
     */
    private Started launchFlow(String shopId, String contactId, Flow flow, String key, ObjectNode trigger) {
        String name = executionName(shopId, flow.id(), key);
        Instant now = clock.instant();
        if (flow.reentryDays() > 0 && entries.lastEntered(shopId, contactId, flow.id())
                .filter(last -> last.isAfter(now.minus(Duration.ofDays(flow.reentryDays())))).isPresent()) {
            return new Started(flow.id(), name, false);
        }
        ObjectNode input = Json.object().put("action", "turn").put("shopId", shopId).put("contactId", contactId).put("journey", flow.id())
                .put("execution", name).put("key", key).put("requestedAt", now.toString());
        input.set("trigger", trigger);
        input.set("flow", flow.source());
        Optional<Duration> firstWait = flow.firstWait();
        if (firstWait.isEmpty()) return new Started(flow.id(), name, launcher.start(flow.id(), name, input));
        // begun before (its first turn may have ended it with no execution to find): a trigger delivered again starts nothing
        if (entries.startedSince(shopId, contactId, now.minus(LONGEST_RUN)).stream().anyMatch(s -> s.execution().equals(name))) {
            return new Started(flow.id(), name, false);
        }
        // the first turn, in JourneyFunction, takes up the journey after its wait (FlowSteps#onSchedule)
        input.put("action", FlowSteps.SCHEDULED).put("at", 1);
        Instant firstTurn = now.plus(firstWait.get());
        Optional<Flow.Step.Send> send = flow.sendAfter(0);
        if (send.isPresent()) {
            // as any pause before a send (FlowWalk): the wait over in the person's quiet hours, the start is when they end
            Optional<Contact> contact = contacts.current(shopId, contactId);
            if (contact.isPresent()) firstTurn = FlowSteps.sendableAt(email.current(shopId).settings(), send.get(), contact.get(), firstTurn);
        }
        boolean scheduled = launcher.startAt(flow.id(), name, input, firstTurn);
        if (scheduled) entries.running(shopId, contactId, flow.id(), name, now);
        return new Started(flow.id(), name, scheduled);
    }

    /** Step Functions names: up to 80 of A-Z a-z 0-9 - _; a long key is shortened with its hash, so names stay unique. */
    public static String executionName(String shopId, String journey, String key) {
        String name = (shopId + "-" + journey + "-" + key).replaceAll("[^A-Za-z0-9_-]", "_");
        if (name.length() <= 80) return name;
        return name.substring(0, 63) + "-" + Signatures.sha256Hex(name).substring(0, 16);
    }

    /** The key of a journey entered once per contact and day: an execution's name is unique for 90 days, reentryDays sets a longer gap. */
    private static String contactAndDay(String contactId, String day) {
        return contactId + "-" + day;
    }

    /** The day of a segment change's {@code at} (one entry per contact and day), or "now" without one. */
    private static String day(String at) {
        return at != null && at.length() >= 10 ? at.substring(0, 10) : "now";
    }

    /**
     * Whether the person asked for marketing email ({@link Flow.Trigger.OnSubscription}): a confirmed or direct
     * subscription; a sign-up through tracking, which the welcome asks to confirm (the subscribe endpoint sends its own
     * confirmation, so its requests start nothing); a new customer who said yes, or asked to and must confirm (the
     * shop's double opt-in). One who did not subscribe gets no marketing and no "please confirm" email.
     */
    static boolean asksForEmail(CanonicalEvent event) {
        return switch (event.event()) {
            case "Email Subscription Confirmed", "Email Subscribed" -> true;
            case EventNames.EMAIL_SUBSCRIPTION_REQUESTED -> event.source().isTracking();
            case "Customer Created" -> {
                ConsentChange consent = event.consent(ConsentChange.EMAIL_MARKETING);
                yield consent != null && (consent.state() == ConsentChange.State.granted || consent.state() == ConsentChange.State.pending);
            }
            default -> false;
        };
    }
}
