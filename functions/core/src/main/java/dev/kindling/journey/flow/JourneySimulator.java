package dev.kindling.journey.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.SampleData;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.journey.JourneyEntries;
import dev.kindling.journey.asl.AslError;
import dev.kindling.journey.asl.Execution;
import dev.kindling.journey.asl.Interpreter;
import dev.kindling.journey.asl.StateMachine;
import dev.kindling.json.Json;
import dev.kindling.segment.Condition;
import dev.kindling.segment.Evaluator;
import dev.kindling.segment.Facts;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.SendResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dry run of any journey: the flow state machine Step Functions runs ({@code statemachines/flow.asl.json}) on the
 * journey engine with time skipped, each turn taken by the same step walk as a real one ({@link FlowWalk}) over a
 * simulated person — their consent and a list of future events (an order on day 2, an NPS answer of 9 …) — and
 * every send recorded instead of made. A wait for an event is answered when a given event matches it, as
 * JourneyStartFunction would answer it. An entry whose journey begins with a wait takes its turns on schedules, as it
 * does for real ({@link FlowSteps#onSchedule}), until it ends or waits for an event; only then does the state machine
 * run. Says which emails would go out and when, how the entry would end, and what it costs in state transitions,
 * scheduled turns and Lambda tasks; sends and stores nothing. A segment-language branch is
 * judged on the given events and an otherwise empty profile.
 */
public final class JourneySimulator {
    static final Duration HORIZON = Duration.ofDays(400);
    private static final StateMachine MACHINE = load();

    /** A future event of the contact, {@code after} the journey starts. */
    public record Event(Duration after, String name, JsonNode properties) {}

    /** @param consentGranted whether the contact has said yes to marketing email (else they asked, and must confirm) */
    public record Contact(boolean consentGranted, boolean hasEmail) {}

    public record Email(Instant at, String step, String template, String kind, String outcome) {}

    /**
     * @param path           the execution's states (empty when the entry needed none: every wait a schedule)
     * @param transitions    the state transitions Step Functions would bill
     * @param scheduledTurns the turns one-time schedules would invoke (an EventBridge Scheduler invocation each)
     * @param tasks          the Lambda invocations of the journey's turns and pauses
     */
    public record Result(List<Email> emails, List<String> path, String status, long transitions, long scheduledTurns, long tasks,
                         Instant endedAt, String ended) {}

    private JourneySimulator() {}

    /** The state machine every journey runs on, with its function named as the local engine names it. */
    public static StateMachine machine() {
        return MACHINE;
    }

    public static Result run(Flow flow, Contact contact, JsonNode trigger, List<Event> events, Instant start) {
        ObjectNode input = Json.object().put("action", "turn").put("shopId", "simulation").put("contactId", "simulated")
                .put("journey", flow.id()).put("execution", "simulation").put("key", "simulation").put("requestedAt", start.toString());
        input.set("trigger", withSampleFields(trigger));
        input.set("flow", flow.source());
        List<Event> sorted = events.stream().map(given -> matched(flow, given, input.get("trigger"))).sorted(Comparator.comparing(Event::after)).toList();
        List<Email> emails = new ArrayList<>();
        Instant[] now = {start};
        String[] ended = {null};
        JsonNode[] listening = {null};
        long[] tasks = {0};
        Interpreter.Tasks run = (state, resource, payload) -> {
            tasks[0]++;
            if ("listen".equals(payload.path("action").asText())) {
                listening[0] = payload.path("state").path("listen");
                return Json.object();
            }
            ObjectNode s = payload.deepCopy();
            if (s.remove(FlowSteps.TURNED) != null) return s; // turned on its schedule: the execution's first Turn passes it on
            if (!s.hasNonNull("enteredAt")) {
                if (!flow.enabled()) return end(ended, "disabled");
                // an entry scheduled for the end of its first wait begins after it, as FlowSteps#advance takes it up
                s.put("enteredAt", start.toString()).put("at", s.path("at").asInt(0));
                if (!flow.variants().isEmpty()) s.put("variant", flow.variants().getFirst().name());
            }
            try {
                return FlowWalk.turn(flow, s, new Simulated(contact, sorted, start, now[0], emails), now[0]);
            } catch (JourneyEnded end) {
                ended[0] = end.getMessage().equals("completed") ? "completed" : "exited: " + end.getMessage();
                throw new AslError(JourneyEnded.ERROR, end.getMessage()); // as Lambda reports it: the exception's class name
            }
        };
        // a journey that begins with a wait: its turns on schedules until it ends or waits for an event (JourneyStarter)
        JsonNode begun = input;
        long scheduled = 0;
        if (flow.firstWait().isPresent()) {
            now[0] = start.plus(flow.firstWait().get());
            ObjectNode state = input.deepCopy().put("at", 1);
            while (true) {
                scheduled++;
                try {
                    state = (ObjectNode) run.invoke("scheduled turn", "JourneyFunction", state); // the same turn, on a schedule
                } catch (AslError endedInTheTurn) {
                    return new Result(List.copyOf(emails), List.of(), "SUCCEEDED", 0, scheduled, tasks[0], now[0], ended[0]);
                }
                if (state.path("listen").isObject()) { // a wait for an event: the execution holds its callback token
                    state.put(FlowSteps.TURNED, true);
                    break;
                }
                now[0] = Instant.parse(state.get("wake").asText());
                if (now[0].isAfter(start.plus(HORIZON))) {
                    return new Result(List.copyOf(emails), List.of(), "WAITING", 0, scheduled, tasks[0], now[0], "still waiting at the horizon");
                }
            }
            begun = state;
        }
        Execution e = Interpreter.start(MACHINE, "simulation", begun, now[0]);
        Interpreter.run(MACHINE, e, run, now[0]);
        while (!e.isDone()) {
            if (e.waitUntil().isAfter(start.plus(HORIZON))) {
                ended[0] = "still waiting at the horizon";
                break;
            }
            Event came = e.token() == null ? null : firstHeard(listening[0], sorted, start, now[0], e.waitUntil());
            if (came != null) {
                now[0] = start.plus(came.after());
                Interpreter.resume(MACHINE, e, e.token(), FlowSteps.heardAs(canonical(came, start)), run, now[0]);
            } else {
                now[0] = e.waitUntil();
                Interpreter.run(MACHINE, e, run, now[0]);
            }
        }
        return new Result(List.copyOf(emails), e.path(), e.status().name(), e.transitions(), scheduled, tasks[0], now[0], ended[0]);
    }

    /**
     * A given event that a wait matches on a property of the trigger ({@code match: order_id}) and that names none is
     * taken as the trigger's own (the simulated order's fulfilment): a dry run needs no real ids.
     */
    private static Event matched(Flow flow, Event e, JsonNode trigger) {
        ObjectNode properties = e.properties() != null && e.properties().isObject() ? (ObjectNode) e.properties().deepCopy() : Json.object();
        for (Flow.Step step : flow.steps()) {
            if (step instanceof Flow.Step.Wait w && w.match() != null && w.events().contains(e.name()) && !properties.has(w.match())) {
                properties.set(w.match(), trigger.path(w.match()));
            }
        }
        return new Event(e.after(), e.name(), properties);
    }

    private static ObjectNode end(String[] ended, String reason) {
        ended[0] = "exited: " + reason;
        throw new AslError(JourneyEnded.ERROR, reason);
    }

    /** The first given event after {@code now} and by {@code until} that a waiting step listens for. */
    private static Event firstHeard(JsonNode listen, List<Event> events, Instant start, Instant now, Instant until) {
        if (listen == null || !listen.isObject()) return null;
        JourneyEntries.Listening l = FlowWalk.listening(listen, null, until);
        for (Event e : events) {
            Instant at = start.plus(e.after());
            if (at.isAfter(now) && !at.isAfter(until) && FlowWalk.heard(l, canonical(e, start))) return e;
        }
        return null;
    }

    /**
     * The trigger with the fields a journey's steps read (an order id, a checkout token …) filled from the
     * sample data where the caller gave none: a dry run needs no real order.
     */
    static JsonNode withSampleFields(JsonNode trigger) {
        ObjectNode sample = Json.MAPPER.valueToTree(SampleData.variables("Simulation", EmailSettings.DEFAULTS).get("event"));
        sample.put("checkout_token", "simulated-checkout");
        if (trigger != null && trigger.isObject()) sample.setAll((ObjectNode) trigger.deepCopy());
        return sample;
    }

    static CanonicalEvent canonical(Event e, Instant start) {
        Instant at = start.plus(e.after());
        ObjectNode properties = e.properties() != null && e.properties().isObject() ? (ObjectNode) e.properties() : Json.object();
        return new CanonicalEvent("simulated-" + e.name() + "-" + e.after(), EventType.TRACK, e.name(), "simulated", null, null, null,
                properties, null, null, null, at, at, Source.KINDLING, Map.of());
    }

    /** The simulated person: their consent, the given events that happened by now, and the emails sent to them. */
    private record Simulated(Contact contact, List<Event> events, Instant start, Instant now, List<Email> emails) implements FlowWalk.World {
        @Override
        public List<CanonicalEvent> sinceEntry() {
            return events.stream().filter(e -> !start.plus(e.after()).isAfter(now)).map(e -> canonical(e, start))
                    .sorted(Comparator.comparing(CanonicalEvent::timestamp).reversed()).toList();
        }

        @Override
        public ConsentChange.State consent(String purpose) {
            // the simulated person's consent stands for both channels; each channel's own unsubscribe takes its own
            if (happened(ConsentChange.SMS_MARKETING.equals(purpose) ? "SMS Unsubscribed" : "Email Unsubscribed")) return ConsentChange.State.withdrawn;
            return contact.consentGranted() || happened("Email Subscription Confirmed") ? ConsentChange.State.granted : ConsentChange.State.pending;
        }

        private boolean happened(String name) {
            return sinceEntry().stream().anyMatch(e -> name.equals(e.event()));
        }

        @Override
        public ZoneId zone() {
            return ZoneOffset.UTC;
        }

        @Override
        public boolean holds(Condition condition) {
            return Evaluator.matches(condition, new Facts(dev.kindling.contact.Contact.create("simulation", "simulated"), Map.of(), null, Set.of(),
                    sinceEntry(), now));
        }

        @Override
        public SendResult send(Flow.Step.Send step, String template, ObjectNode state) {
            if (step.links().contains("confirm") && consent(ConsentChange.EMAIL_MARKETING) != ConsentChange.State.pending) return null; // nothing to confirm
            boolean marketing = step.kind().equals("marketing");
            ConsentChange.State consent = consent(Flow.Step.Send.SMS.equals(step.channel()) ? ConsentChange.SMS_MARKETING : ConsentChange.EMAIL_MARKETING);
            String outcome = !contact.hasEmail() ? "skipped: no_email"
                    : marketing && consent == ConsentChange.State.withdrawn ? "skipped: unsubscribed"
                    : marketing && consent != ConsentChange.State.granted ? "skipped: no_consent" : "sent";
            emails.add(new Email(now, step.id(), template, step.kind(), outcome));
            return new SendResult("simulated", outcome.equals("sent") ? MessageRecord.Status.sent : MessageRecord.Status.skipped,
                    outcome.equals("sent") ? null : outcome.substring(9), null, null);
        }

        @Override
        public void update(Flow.Step.Update step) {}

        @Override
        public void publish(Flow.Step.Publish step, CanonicalEvent event) {}

        @Override
        public void reached(Flow.Step step) {}
    }

    private static StateMachine load() {
        try (InputStream in = JourneySimulator.class.getResourceAsStream("/statemachines/flow.asl.json")) {
            if (in == null) throw new IllegalStateException("statemachines/flow.asl.json is not on the classpath");
            String definition = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${JourneyFunctionArn}", "JourneyFunction");
            return StateMachine.of(Flow.MACHINE, Json.read(definition, JsonNode.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
