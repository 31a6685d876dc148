package dev.kindling.journey.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.journey.JourneyEntries;
import dev.kindling.journey.flow.Flow.Step;
import dev.kindling.json.Json;
import dev.kindling.segment.Condition;
import dev.kindling.segment.Evaluator;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.SendResult;
import java.time.Duration;
import dev.kindling.engagement.BestTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The meaning of a journey's steps, apart from where its facts come from: one turn, from where the last one
 * stopped to the next pause or the end. {@link FlowSteps} runs it on the stores (a real turn), the
 * {@link JourneySimulator} on a profile and a list of future events (a dry run); both therefore take the same
 * path through any definition. The order, each turn:
 * <ol>
 *   <li>no goal reached since the entry (else the journey ends, counted as the goal's exit);</li>
 *   <li>a wait for an event that was pending: heard (next step), else timed out (its {@code timeout} jump);</li>
 *   <li>steps in order: a send (one refused because the person unsubscribed or is suppressed ends the journey; one
 *       deferred is tried again, same step, when the send path says), a branch, a split, an update, a publish, and a
 *       wait, which ends the turn.</li>
 * </ol>
 * The end is {@link JourneyEnded}, its message the reason ({@code completed}, or the exit's).
 */
final class FlowWalk {
    /** Suppression reasons (SesEvents): an address nothing more is sent to. */
    private static final Set<String> SUPPRESSED = Set.of("bounced", "soft_bounces", "complained");

    /** What a turn needs from outside: the person's facts, and the acts of its steps. */
    interface World {
        /** The person's events since the entry, newest first. */
        List<CanonicalEvent> sinceEntry();

        /** The person's consent for one purpose ({@code email_marketing}, {@code sms_marketing}); not_given when none was stated. */
        ConsentChange.State consent(String purpose);

        /** The zone the person's clock is in (a wait until a time of day). */
        ZoneId zone();

        /** The person's best local hour to be emailed on that day (a wait until their best time); nothing known: the fallback. */
        default int bestHour(LocalDate day) {
            return BestTime.FALLBACK;
        }

        /**
         * The first moment from {@code at} when this step's send would not be deferred for the person's quiet hours: a
         * plain wait before it ends then (not paused once more at its end). Nothing known of the hours: {@code at}.
         */
        default Instant sendableAt(Step.Send step, Instant at) {
            return at;
        }

        /** A segment-language condition on the person now. */
        boolean holds(Condition condition);

        /** Sends the step's email with this template; null when there is nothing to send (a confirmation nobody needs). */
        SendResult send(Step.Send step, String template, ObjectNode state);

        void update(Step.Update step);

        /** Publishes the step's event; {@code event} is the one it carries ({@code withEvent}), or null. */
        void publish(Step.Publish step, CanonicalEvent event);

        /** The person reached the step (once per arrival: a step taken up again after a pause is not reached again). */
        void reached(Step step);
    }

    private FlowWalk() {}

    /** One turn over {@code state} (changed in place): answers it with the pause, or throws {@link JourneyEnded}. */
    static ObjectNode turn(Flow flow, ObjectNode state, World world, Instant now) {
        JsonNode heard = state.remove("heard");
        JsonNode listened = state.remove("listen");
        state.remove("sleep");
        // what happened after the entry: not the event that started it (an order starting the loyalty loop is no "next order")
        Instant entered = state.hasNonNull("enteredAt") ? Instant.parse(state.get("enteredAt").asText()) : now;
        List<CanonicalEvent> since = world.sinceEntry().stream().filter(e -> e.timestamp().isAfter(entered)).toList();
        int at = state.path("at").asInt();
        for (CanonicalEvent e : since) {
            if (e.event() != null && flow.goals().containsKey(e.event())) {
                JourneyEnded goal = new JourneyEnded(flow.goals().get(e.event()));
                if (at >= flow.steps().size()) throw goal;
                // converted while at that step (on the entry's own turn too, when the goal came before it ran)
                arrive(flow.steps().get(at), at, state, world);
                throw goal.at(flow.steps().get(at).id());
            }
        }
        JsonNode trigger = state.path("trigger");
        if (listened != null && !listened.isNull() && flow.steps().get(at) instanceof Step.Wait wait) {
            boolean came = heard != null && heard.isObject() && !heard.has("Error")
                    || since.stream().anyMatch(e -> awaited(wait, e, trigger)); // it came as the wait timed out
            at = came ? at + 1 : jump(flow, at, wait.timeout());
        }
        for (; ; ) {
            if (at >= flow.steps().size()) throw new JourneyEnded("completed");
            Step step = flow.steps().get(at);
            arrive(step, at, state, world);
            try {
                switch (step) {
                    case Step.Send send -> {
                        String variant = state.path("variant").asText(null);
                        String template = variant != null && send.variants().containsKey(variant) ? send.variants().get(variant) : send.template();
                        SendResult sent = world.send(send, template, state);
                        if (sent != null && sent.status() == MessageRecord.Status.deferred && sent.until() != null) {
                            return pause(state, at, sent.until(), now, null); // the same step, the same key, later
                        }
                        if (sent != null && sent.status() == MessageRecord.Status.skipped) {
                            if ("unsubscribed".equals(sent.reason())) throw new JourneyEnded("unsubscribed");
                            if (SUPPRESSED.contains(sent.reason())) throw new JourneyEnded("suppressed");
                        }
                        at++;
                    }
                    case Step.Wait wait when wait.forEvent() -> {
                        if (since.stream().anyMatch(e -> awaited(wait, e, trigger))) {
                            at++;
                            continue;
                        }
                        ObjectNode listen = Json.object().put("since", now.toString());
                        listen.set("events", Json.MAPPER.valueToTree(wait.events()));
                        if (wait.match() != null) listen.put("match", wait.match()).put("value", Json.text(trigger, wait.match()));
                        return pause(state, at, now.plus(wait.duration()), now, listen);
                    }
                    case Step.Wait wait -> {
                        Instant wake = wake(wait, world, now);
                        return pause(state, at + 1, flow.sendAfter(at).map(send -> world.sendableAt(send, wake)).orElse(wake), now, null);
                    }
                    case Step.Branch branch -> at = jump(flow, at, holds(branch, world, since) ? branch.then() : branch.otherwise());
                    case Step.Exit exit -> throw new JourneyEnded(exit.reason());
                    case Step.Split split -> {
                        Step.Split.Arm arm = arm(split, flow, state.path("contactId").asText());
                        state.put("variant", arm.name());
                        at = jump(flow, at, arm.then());
                    }
                    case Step.Update update -> {
                        world.update(update);
                        at++;
                    }
                    case Step.Publish publish -> {
                        CanonicalEvent carried = publish.withEvent() == null ? null
                                : since.stream().filter(e -> publish.withEvent().equals(e.event())).findFirst().orElse(null); // newest first
                        world.publish(publish, carried);
                        at++;
                    }
                }
            } catch (JourneyEnded ended) {
                throw ended.at(step.id()); // where the person left
            }
        }
    }

    /**
     * Counts the person as reached at the step, once per arrival: {@code reached} in the state is the step last
     * counted, so a deferred send or a wait for an event, taken up again on a later turn, is not counted again.
     */
    private static void arrive(Step step, int at, ObjectNode state, World world) {
        if (state.path("reached").asInt(-1) == at) return;
        world.reached(step);
        state.put("reached", at);
    }

    /** The arm a contact takes, by weight, the same every time for this journey and step. */
    static Step.Split.Arm arm(Step.Split split, Flow flow, String contactId) {
        return Buckets.pick(contactId + "|" + flow.id() + "|" + split.id(), split.arms(), Step.Split.Arm::weight);
    }

    /** What a pause listens for, from the {@code listen} a turn answered with (see {@link #turn}). */
    static JourneyEntries.Listening listening(JsonNode listen, String token, Instant until) {
        List<String> names = new ArrayList<>();
        listen.path("events").forEach(n -> names.add(n.asText()));
        return new JourneyEntries.Listening(List.copyOf(names), Json.text(listen, "match"), Json.text(listen, "value"), token, until);
    }

    /** Whether an event is one the listening execution waits for. */
    static boolean heard(JourneyEntries.Listening listening, CanonicalEvent e) {
        if (e.event() == null || !listening.events().contains(e.event())) return false;
        return listening.matchProperty() == null || listening.matchValue() != null
                && listening.matchValue().equals(Json.text(e.properties() == null ? Json.object() : e.properties(), listening.matchProperty()));
    }

    private static boolean awaited(Step.Wait wait, CanonicalEvent e, JsonNode trigger) {
        String value = wait.match() == null ? null : Json.text(trigger, wait.match());
        return heard(new JourneyEntries.Listening(wait.events(), wait.match(), value, null, null), e);
    }

    private static boolean holds(Step.Branch branch, World world, List<CanonicalEvent> sinceEntry) {
        if (branch.did() != null) {
            return sinceEntry.stream().anyMatch(e -> branch.did().equals(e.event()) && Evaluator.propertiesPass(e, branch.where()));
        }
        if (branch.consent() != null) return world.consent(branch.consentPurpose()).name().equals(branch.consent());
        return world.holds(branch.condition());
    }

    /** The state a turn answers when the journey pauses: where it goes on, when, and what it listens for meanwhile. */
    private static ObjectNode pause(ObjectNode state, int at, Instant wake, Instant now, ObjectNode listen) {
        long seconds = Math.max(1, (Duration.between(now, wake).toMillis() + 999) / 1000); // a task's timeout: whole seconds, at least 1
        state.put("at", at).put("wake", wake.toString()).put("sleep", seconds);
        state.set("listen", listen == null ? Json.MAPPER.nullNode() : listen);
        return state;
    }

    /** Where a jump goes: the next step (null), a later step, the end (completed) or {@code exit:<reason>}. */
    private static int jump(Flow flow, int from, String target) {
        if (target == null) return from + 1;
        if (Flow.END.equals(target)) throw new JourneyEnded("completed");
        if (target.startsWith(Flow.EXIT_PREFIX)) throw new JourneyEnded(target.substring(Flow.EXIT_PREFIX.length()));
        return flow.indexOf(target);
    }

    /** The end of a wait: after its duration, or the next time the person's clock shows its time of day, or their best hour. */
    static Instant wake(Step.Wait wait, World world, Instant now) {
        if (wait.duration() != null) return now.plus(wait.duration());
        ZonedDateTime local = now.atZone(world.zone());
        if (wait.bestTime()) {
            ZonedDateTime today = local.toLocalDate().atTime(world.bestHour(local.toLocalDate()), 0).atZone(world.zone());
            if (today.isAfter(local)) return today.toInstant();
            LocalDate tomorrow = local.toLocalDate().plusDays(1);
            return tomorrow.atTime(world.bestHour(tomorrow), 0).atZone(world.zone()).toInstant();
        }
        ZonedDateTime at = local.with(wait.until());
        return (at.isAfter(local) ? at : at.plusDays(1)).toInstant();
    }
}
