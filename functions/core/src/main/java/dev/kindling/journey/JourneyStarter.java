package dev.kindling.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.email.ShopEmail;
import dev.kindling.engagement.EmailStats;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventNames;
import dev.kindling.event.Source;
import dev.kindling.journey.flow.Flow;
import dev.kindling.journey.flow.FlowParser;
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
import java.util.Optional;

/**
 * Which journey an event starts, under which execution name: one abandoned-checkout execution per
 * checkout, one post-purchase loop per order, one welcome per contact, one browse-abandonment per
 * contact and day (re-entry rules narrow it further), one win-back per segment entry day; and the
 * journeys a shop wrote ({@link Flow}) by their trigger and key, on the flow interpreter. A duplicate
 * delivery finds the execution by its name and starts nothing. Which running journeys an event ends,
 * as their goal, is decided here too ({@link #endAtGoals}).
 */
public final class JourneyStarter {
    /** How far back a running execution can have started: Step Functions Standard runs an execution for at most a year. */
    static final Duration LONGEST_RUN = Duration.ofDays(366);
    /** The error an execution ended by its goal is stopped with (its cause names the event). */
    public static final String GOAL_REACHED = "Kindling.GoalReached";
    /** The scheduled refresh's bus event: a date-triggered journey's moment came for a contact ({@code source} {@value JourneySteps#SOURCE}). */
    public static final String JOURNEY_DUE = "journey.due";

    private final JourneyLauncher launcher;
    private final ShopEmail email;
    private final JourneyEntries entries;
    private final EmailStats stats;
    private final Clock clock;

    public JourneyStarter(JourneyLauncher launcher, ShopEmail email, JourneyEntries entries, EmailStats stats, Clock clock) {
        this.launcher = launcher;
        this.email = email;
        this.entries = entries;
        this.stats = stats;
        this.clock = clock;
    }

    public record Started(String journey, String executionName, boolean started) {}

    /**
     * An event ends, at once, every journey the person was in before it that has it as a goal: for the shipped ones an
     * order (a post-purchase loop is restarted by the new order), for a written one its {@code goals}. StopExecution,
     * not the next check hours later, so no reminder goes out after the goal and no further transition is paid for;
     * counted as the journey's own exit would be. Only executions started before the event happened end, so a
     * redelivered or imported old event ends nothing newer; they come from the contact's {@code EXEC#} items, read
     * only when the event is a goal of something. Returns the executions stopped.
     *
     * @param flows the shop's written journeys ({@link #flows}), read once per event for this and {@link #flowsOnEvent}
     */
    public List<String> endAtGoals(String shopId, String contactId, CanonicalEvent event, List<Flow> flows) {
        if (event.event() == null) return List.of();
        boolean order = EventNames.ORDER_COMPLETED.equals(event.event());
        Map<String, Flow> goalOf = new HashMap<>();
        for (Flow flow : flows) if (flow.goals().contains(event.event())) goalOf.put(flow.id(), flow);
        if (!order && goalOf.isEmpty()) return List.of();
        List<String> stopped = new ArrayList<>();
        Instant now = clock.instant();
        for (JourneyEntries.Started s : entries.startedSince(shopId, contactId, now.minus(LONGEST_RUN))) {
            if (!s.at().isBefore(event.timestamp())) continue;
            String reason;
            if (JourneySettings.JOURNEYS.contains(s.journey())) {
                if (!order) continue;
                reason = JourneySteps.orderExitReason(s.journey());
            } else {
                if (!goalOf.containsKey(s.journey())) continue;
                reason = "goal";
            }
            String what = order ? "order " + Json.text(event.properties() == null ? Json.object() : event.properties(), "order_id") : event.event();
            if (launcher.stop(s.journey(), s.execution(), GOAL_REACHED, reason + ": " + what)) {
                JourneySteps.countJourney(stats, shopId, LocalDate.ofInstant(now, ZoneOffset.UTC), s.journey(), "exited_" + reason);
                stopped.add(s.execution());
            }
        }
        return stopped;
    }

    /** An ingested event: checkouts, orders, product views, sign-ups and new customers. */
    public Optional<Started> onEvent(String shopId, String contactId, CanonicalEvent event) {
        if (event.event() == null) return Optional.empty();
        JsonNode p = event.properties() == null ? Json.object() : event.properties();
        String journey;
        String key;
        switch (event.event()) {
            case "Checkout Started" -> {
                journey = "abandoned-checkout";
                key = first(p, "checkout_token", "checkout_id", "cart_id");
            }
            case EventNames.ORDER_COMPLETED -> {
                journey = "post-purchase";
                key = first(p, "order_id");
            }
            case "Product Viewed" -> {
                journey = "browse-abandonment";
                key = contactId + "-" + LocalDate.ofInstant(event.timestamp(), ZoneOffset.UTC);
            }
            case "Email Subscription Confirmed", "Email Subscribed" -> {
                journey = "welcome";
                key = contactId;
            }
            case EventNames.EMAIL_SUBSCRIPTION_REQUESTED -> {
                // a sign-up through tracking: the welcome journey asks the address to confirm first (the subscribe
                // endpoint sends its own confirmation, so its requests start nothing here)
                if (event.source() != Source.TRACKING) return Optional.empty();
                journey = "welcome";
                key = contactId;
            }
            case "Customer Created" -> {
                // a new customer is welcomed only when they said yes, or asked to and must confirm (the shop's double opt-in):
                // one who did not subscribe gets no marketing and no "please confirm" email
                if (!askedForEmail(event)) return Optional.empty();
                journey = "welcome";
                key = contactId;
            }
            default -> {
                return Optional.empty();
            }
        }
        if (key == null) return Optional.empty();
        ObjectNode trigger = p.deepCopy();
        trigger.put("name", event.event());
        return Optional.of(launch(shopId, contactId, journey, key, trigger));
    }

    /** The shop's written journeys ({@link Flow}) that are switched on, as saved now. */
    public List<Flow> flows(String shopId) {
        return FlowParser.enabled(email.current(shopId).journeys());
    }

    /** The written journeys ({@link #flows}) an ingested event starts: those triggered by its name, one entry per key. */
    public List<Started> flowsOnEvent(String shopId, String contactId, CanonicalEvent event, List<Flow> flows) {
        if (event.event() == null) return List.of();
        List<Started> started = new ArrayList<>();
        JsonNode p = event.properties() == null ? Json.object() : event.properties();
        for (Flow flow : flows) {
            if (!(flow.trigger() instanceof Flow.Trigger.OnEvent on) || !on.event().equals(event.event())) continue;
            String key = switch (flow.key().kind()) {
                case "property" -> Json.text(p, flow.key().name());
                case "trait" -> event.traits() == null || Json.text(event.traits(), flow.key().name()) == null ? null
                        : contactId + "-" + Json.text(event.traits(), flow.key().name()); // a trait's value is the person's, not unique
                // an execution's name is unique for 90 days: one entry per contact and day, reentryDays for a longer gap
                default -> contactId + "-" + LocalDate.ofInstant(event.timestamp(), ZoneOffset.UTC);
            };
            if (key == null) continue;
            ObjectNode trigger = p.deepCopy();
            trigger.put("name", event.event());
            started.add(launchFlow(shopId, contactId, flow, key, trigger));
        }
        return started;
    }

    /** The written journeys a segment entry or exit starts. */
    public List<Started> flowsOnSegment(String shopId, String contactId, String segmentId, boolean entered, String at) {
        List<Started> started = new ArrayList<>();
        for (Flow flow : flows(shopId)) {
            if (!(flow.trigger() instanceof Flow.Trigger.OnSegment on) || !on.segmentId().equals(segmentId) || on.entered() != entered) continue;
            ObjectNode trigger = Json.object().put("name", entered ? "segment.entered" : "segment.exited").put("segment_id", segmentId);
            started.add(launchFlow(shopId, contactId, flow, flow.key().kind().equals("contact") ? contactId + "-" + day(at) : contactId, trigger));
        }
        return started;
    }

    /** A date-triggered journey whose moment came (found by the scheduled refresh): one entry per date. */
    public Optional<Started> flowDue(String shopId, String contactId, String flowId, String key, String due) {
        return flows(shopId).stream().filter(f -> f.id().equals(flowId) && f.trigger() instanceof Flow.Trigger.OnDate).findFirst()
                .map(flow -> launchFlow(shopId, contactId, flow, key, Json.object().put("name", "journey.due").put("due", due)));
    }

    /** The execution's input is the state the turns pass on: the definition rides in it, so the entry keeps this version. */
    private Started launchFlow(String shopId, String contactId, Flow flow, String key, ObjectNode trigger) {
        String name = executionName(shopId, flow.id(), key);
        ObjectNode input = Json.object().put("action", "turn").put("shopId", shopId).put("contactId", contactId).put("journey", flow.id())
                .put("execution", name).put("key", key).put("requestedAt", clock.instant().toString());
        input.set("trigger", trigger);
        input.set("flow", flow.source());
        return new Started(flow.id(), name, launcher.start(flow.id(), name, input));
    }

    /** A segment entry: the win-back segment the shop's win-back journey names. */
    public Optional<Started> onSegmentEntered(String shopId, String contactId, String segmentId, String at) {
        JourneySettings winBack = JourneySettings.of("win-back", email.current(shopId).journeys().get("win-back"));
        if (!segmentId.equals(winBack.segment())) return Optional.empty();
        ObjectNode trigger = Json.object().put("name", "segment.entered").put("segment_id", segmentId);
        return Optional.of(launch(shopId, contactId, "win-back", contactId + "-" + day(at), trigger));
    }

    private Started launch(String shopId, String contactId, String journey, String key, ObjectNode trigger) {
        ObjectNode input = Json.object().put("shopId", shopId).put("contactId", contactId).put("key", key);
        input.set("trigger", trigger);
        String name = executionName(shopId, journey, key);
        return new Started(journey, name, launcher.start(journey, name, input));
    }

    /** Step Functions names: up to 80 of A-Z a-z 0-9 - _; a long key is shortened with its hash, so names stay unique. */
    public static String executionName(String shopId, String journey, String key) {
        String name = (shopId + "-" + journey + "-" + key).replaceAll("[^A-Za-z0-9_-]", "_");
        if (name.length() <= 80) return name;
        return name.substring(0, 63) + "-" + Signatures.sha256Hex(name).substring(0, 16);
    }

    /** The day of a segment change's {@code at} (one entry per contact and day), or "now" without one. */
    private static String day(String at) {
        return at != null && at.length() >= 10 ? at.substring(0, 10) : "now";
    }

    private static boolean askedForEmail(CanonicalEvent event) {
        ConsentChange consent = event.consent();
        return consent != null && ConsentChange.EMAIL_MARKETING.equals(consent.purpose())
                && (consent.state() == ConsentChange.State.granted || consent.state() == ConsentChange.State.pending);
    }

    private static String first(JsonNode p, String... fields) {
        for (String f : fields) {
            String v = Json.text(p, f);
            if (v != null) return v;
        }
        return null;
    }
}
