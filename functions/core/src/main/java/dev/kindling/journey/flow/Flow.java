package dev.kindling.journey.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.email.EmailTemplate;
import dev.kindling.json.Json;
import dev.kindling.segment.Condition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * A journey as data: what starts it, who may enter, what ends it, and its steps in order. One document
 * (YAML or JSON, {@link FlowParser}) per journey — the shipped ones ({@link Journeys}) and those a shop
 * writes alike — run step by step by {@link FlowSteps} on one interpreter state machine
 * ({@code statemachines/flow.asl.json}), which carries the definition in the execution's input: a running
 * execution keeps the version it started with, whatever is saved later.
 *
 * <p>Steps run from the first; every jump goes forward, so every definition ends (no loops).
 *
 * @param dailyCap at most this many entries a day (UTC) for the shop, 0 for no limit; one over it is counted {@code capped}
 * @param goals    event name → the exit reason it is counted as ({@code goal} unless the definition names one):
 *                 any of them ends the journey at once when it arrives (StopExecution), and is checked every turn
 * @param data     what the templates read as {@code data} (discount codes, reward codes)
 * @param variants an A/B/n split at entry (empty: none): each entry takes one by weight, stable per contact, and a
 *                 send step may name another template for it ({@link Step.Send#variants})
 */
public record Flow(String id, String name, boolean enabled, Trigger trigger, Key key, int reentryDays, int holdoutPercent, int dailyCap,
                   Map<String, String> goals, ObjectNode data, List<Variant> variants, List<Step> steps, JsonNode source) {

    /** What starts an entry. */
    public sealed interface Trigger {
        /** An ingested event of one of these names. */
        record OnEvent(List<String> events) implements Trigger {}

        /**
         * Someone asked for marketing email: a confirmed or direct subscription, a sign-up through tracking (which must
         * be confirmed), or a new shop customer who subscribed or must confirm. Never a customer who did not say yes.
         */
        record OnSubscription() implements Trigger {}

        /** The shop's own call ({@code POST /admin/journeys/{id}/entries}): its CRM, its back office, a script. */
        record OnApi() implements Trigger {}

        /** The contact enters ({@code entered}) or leaves a segment. */
        record OnSegment(String segmentId, boolean entered) implements Trigger {}

        /** A moment relative to a date trait: {@code offset} before (negative) or after it, e.g. 3 days before {@code policy_expires_at}. */
        record OnDate(String trait, Duration offset) implements Trigger {}
    }

    /**
     * What makes two entries the same entry: the contact, an event property (a checkout token; {@code names} are
     * tried in order, the first present counts) or a trait's value.
     */
    public record Key(String kind, List<String> names) {
        public static final Key CONTACT = new Key("contact", List.of());
    }

    public record Variant(String name, int weight) {}

    public sealed interface Step {
        String id();

        /**
         * An email; marketing mail goes through consent, topics, the frequency cap and quiet hours, and carries one-click
         * unsubscribe; with {@code channel} sms ({@code send: {sms: TEMPLATE}}) a text, through SMS consent, both caps and SMS
         * quiet hours. A send refused because the person unsubscribed or is suppressed ends the journey.
         *
         * @param variants an entry variant or split arm's name → the template it gets instead
         * @param links    signed links the template reads: {@code confirm} (double opt-in, as {@code links.confirm}),
         *                 {@code review} ({@code data.review_url}), {@code nps} (0–10 survey links, {@code data.nps_links})
         * @param coupon   a coupon whose unique code the message carries ({@code send: {template: …, coupon: welcome}}); null: none
         */
        record Send(String id, String template, String kind, Map<String, String> variants, List<String> links, String channel,
                    String coupon) implements Step {
            /** The channels, named as the template types they send. */
            public static final String EMAIL = EmailTemplate.EMAIL;
            public static final String SMS = EmailTemplate.SMS;
        }

        /**
         * A pause: a duration, or until the next time of day in the contact's time zone, or (neither: {@code wait: {until:
         * best_time}}) until the contact's next best hour ({@code engagement.BestTime}); or, with {@code events}, until one
         * of them arrives (at most {@code duration}), then the next step, or {@code timeout} when none came. With {@code
         * match}, only an event whose property of that name equals the trigger's counts (this order's fulfilment).
         */
        record Wait(String id, Duration duration, LocalTime until, List<String> events, String match, String timeout) implements Step {
            public boolean forEvent() {
                return !events.isEmpty();
            }

            /** Until the contact's next best hour to be emailed. */
            public boolean bestTime() {
                return duration == null && until == null && events.isEmpty();
            }
        }

        /**
         * Goes to {@code then} when the condition holds, else to {@code otherwise} (either null: the next step). The
         * condition is {@code did} (an event since the entry, optionally with property filters {@code where}: any such
         * event matching), {@code consent} or {@code sms_consent} (the state of the person's email- or SMS-marketing
         * consent, {@code consentPurpose}: granted, pending, withdrawn, not_given) or one of the segment language.
         */
        record Branch(String id, String did, List<Condition.PropertyFilter> where, String consent, String consentPurpose, Condition condition, String then,
                      String otherwise) implements Step {}

        /** Ends the journey here, counted as {@code exited_<reason>}. */
        record Exit(String id, String reason) implements Step {}

        /**
         * A random split (A/B/n): each contact takes one arm, by weight, the same one every time (a stable hash of the
         * contact, journey and step); the arm's name tags the emails that follow, so each arm's figures are apart.
         */
        record Split(String id, List<Arm> arms) implements Step {
            public record Arm(String name, int weight, String then) {}
        }

        /** Sets traits on the contact, as an event of theirs ({@code Journey Updated Contact}), so segments and scores follow. */
        record Update(String id, ObjectNode traits) implements Step {}

        /**
         * Puts an event on the bus for the shop's own integrations (a CRM, a support desk) to take; with {@code withEvent},
         * the latest such event of the person since the entry rides along as {@code event} (an NPS answer and its score).
         */
        record Publish(String id, String detailType, ObjectNode detail, String withEvent) implements Step {}
    }

    /** The interpreter state machine every journey runs on ({@code statemachines/flow.asl.json}). */
    public static final String MACHINE = "flow";

    /**
     * Step Functions takes an execution input, and a state, of at most 256 KB in UTF-8 bytes, and a journey's
     * definition rides in every entry's input and state (an entry keeps the version it started with). A definition is
     * held to this much of it as JSON, leaving the rest to what each turn carries beside it.
     */
    public static final int MAX_SOURCE_BYTES = 96 * 1024;
    public static final int MAX_EXECUTION_INPUT_BYTES = 256 * 1024;

    /** An execution's input as StartExecution takes it; one over Step Functions' limit is refused here, naming it. */
    public static String executionInput(String executionName, JsonNode input) {
        String json = Json.write(input);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_EXECUTION_INPUT_BYTES) {
            throw new IllegalArgumentException("execution " + executionName + "'s input is " + bytes + " bytes; Step Functions takes at most "
                    + MAX_EXECUTION_INPUT_BYTES);
        }
        return json;
    }

    /** A jump target that ends the journey as completed; {@code exit:<reason>} ends it as exited for that reason. */
    public static final String END = "end";
    public static final String EXIT_PREFIX = "exit:";

    public int indexOf(String stepId) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).id().equals(stepId)) return i;
        return -1;
    }

    /**
     * The wait a journey begins with, when it is a plain duration (abandoned checkout's hour): such an entry is started
     * when that wait is over ({@code JourneyLauncher#startAt}), not held running through it. Empty for any other first step
     * (a time of day and a best hour depend on the person's zone and history as they are then).
     */
    public java.util.Optional<Duration> firstWait() {
        return !steps.isEmpty() && steps.getFirst() instanceof Step.Wait w && !w.forEvent() && w.duration() != null
                ? java.util.Optional.of(w.duration()) : java.util.Optional.empty();
    }

    /** The send step that comes right after step {@code index}, if a send is what comes: a wait before it ends outside quiet hours. */
    public java.util.Optional<Step.Send> sendAfter(int index) {
        return index + 1 < steps.size() && steps.get(index + 1) instanceof Step.Send send
                ? java.util.Optional.of(send) : java.util.Optional.empty();
    }

    /** Every event name some wait of this journey listens for. */
    public List<String> awaited() {
        return steps.stream().filter(s -> s instanceof Step.Wait w && w.forEvent()).flatMap(s -> ((Step.Wait) s).events().stream()).distinct().toList();
    }
}
