package dev.kindling.journey.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.segment.Condition;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;

/**
 * A journey a shop writes: what starts it, who may enter, what ends it, and its steps in order. One
 * document (YAML or JSON, {@link FlowParser}) per journey, run step by step by {@link FlowSteps} on one
 * interpreter state machine ({@code statemachines/flow.asl.json}), which carries the definition in the
 * execution's input: a running execution keeps the version it started with, whatever is saved later.
 *
 * <p>Steps run from the first; a branch jumps only forward, so every definition ends (no loops).
 *
 * @param goals event names that end the journey at once when they arrive (StopExecution), and are
 *              checked again before every step
 */
public record Flow(String id, String name, boolean enabled, Trigger trigger, Key key, int reentryDays, int holdoutPercent,
                   List<String> goals, List<Step> steps, JsonNode source) {

    /** What starts an entry. */
    public sealed interface Trigger {
        /** An ingested event of this name. */
        record OnEvent(String event) implements Trigger {}

        /** The contact enters ({@code entered}) or leaves a segment. */
        record OnSegment(String segmentId, boolean entered) implements Trigger {}

        /** A moment relative to a date trait: {@code offset} before (negative) or after it, e.g. 3 days before {@code policy_expires_at}. */
        record OnDate(String trait, Duration offset) implements Trigger {}
    }

    /** What makes two entries the same entry: the contact, an event property (a checkout token) or a trait's value. */
    public record Key(String kind, String name) {
        public static final Key CONTACT = new Key("contact", null);
    }

    public sealed interface Step {
        String id();

        /** An email; marketing mail goes through consent, topics, the frequency cap and quiet hours, and carries one-click unsubscribe. */
        record Send(String id, String template, String kind) implements Step {}

        /** A pause: a duration, or until the next time of day in the contact's time zone. */
        record Wait(String id, Duration duration, LocalTime until) implements Step {}

        /**
         * Goes to {@code then} when the condition holds, else to {@code otherwise} (null: the next step); a target is a
         * later step's id or {@code end}. The condition is {@code did} (an event since the entry) or one of the segment language.
         */
        record Branch(String id, String did, Condition condition, String then, String otherwise) implements Step {}

        /** Ends the journey here. */
        record Exit(String id) implements Step {}

        /**
         * A random split (A/B/n): each contact takes one arm, by weight, the same one every time (a stable hash of the
         * contact, journey and step); the arm's name tags the emails that follow, so each arm's figures are apart.
         */
        record Split(String id, List<Arm> arms) implements Step {
            public record Arm(String name, int weight, String then) {}
        }

        /** Sets traits on the contact, as an event of theirs ({@code Journey Updated Contact}), so segments and scores follow. */
        record Update(String id, com.fasterxml.jackson.databind.node.ObjectNode traits) implements Step {}

        /** Puts an event on the bus for the shop's own integrations (a CRM, a support desk) to take. */
        record Publish(String id, String detailType, com.fasterxml.jackson.databind.node.ObjectNode detail) implements Step {}
    }

    /** The interpreter state machine every written journey runs on ({@code statemachines/flow.asl.json}). */
    public static final String MACHINE = "flow";

    /** A branch target that ends the journey. */
    public static final String END = "end";

    public int indexOf(String stepId) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).id().equals(stepId)) return i;
        return -1;
    }
}
