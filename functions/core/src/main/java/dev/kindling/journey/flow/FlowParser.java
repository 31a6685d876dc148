package dev.kindling.journey.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.ConsentChange;
import dev.kindling.journey.flow.Flow.Step;
import dev.kindling.journey.flow.Flow.Trigger;
import dev.kindling.json.Json;
import dev.kindling.segment.Condition;
import dev.kindling.segment.SegmentParser;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.kindling.email.TemplateTypes;

/**
 * Reads a journey definition and names every problem by its path ({@code steps[2].then: …}), as the segment
 * language does. What a definition may say (docs/journeys.md has the whole language):
 *
 * <pre>
 * name: Policy renewal
 * enabled: true                      # default true
 * trigger:                           # one of
 *   event: Policy Purchased          #   an ingested event (or a list of names)
 *   subscription: true               #   someone asked for marketing email (confirmed, subscribed, or must confirm)
 *   segment: {entered: vip}          #   entering (or exited: …) a segment
 *   date: {trait: policy_expires_at, before: P3D}   # or after: P30D
 *   api: true                        #   the shop's own call: POST /admin/journeys/{id}/entries
 * key: contact                       # one entry per contact and day; or property:&lt;name&gt;[|&lt;name&gt;…] (the event's), trait:&lt;name&gt;
 * reentryDays: 0
 * holdoutPercent: 0
 * dailyCap: 0                        # at most this many entries a day for the shop (0: no limit)
 * goals: [Policy Renewed]            # any of these ends the journey at once; or {event: Order Completed, exit: ordered}
 * data: {discount_code: RENEW10}     # what the templates read as data
 * variants: [{name: a, weight: 50}, {name: b, weight: 50}]   # an A/B/n split at entry; a send may name a template per variant
 * steps:
 *   - {id: first, send: policy-reminder}                   # or send: {template: …, kind: transactional, variants: {b: …}, links: [review]}
 *   - {id: pause, wait: P2D}                               # or wait: {until: "09:00"} in the contact's time zone
 *   - {id: renewal, wait: {for: Policy Renewed, within: P2D}, timeout: last}   # until an event, at most so long
 *   - {id: renewed, if: {did: Policy Renewed}, then: end}  # or if: &lt;a segment-language condition&gt;; else: &lt;step&gt;
 *   - {id: last, send: policy-last-call}
 *   - {id: test, split: [{name: a, weight: 50, then: last}, {name: b, weight: 50, then: done}]}
 *   - {id: tag, update: {traits: {renewal_reminded: true}}}
 *   - {id: crm, publish: {type: crm.task, detail: {queue: renewals}}}
 *   - {id: done, exit: true}                               # or exit: &lt;reason&gt;
 * </pre>
 * A jump ({@code then}, {@code else}, {@code timeout}, a split arm's {@code then}) names a later step, {@code end}, or
 * {@code exit:<reason>}; nothing jumps back, so no definition loops.
 */
public final class FlowParser {
    public static final int MAX_STEPS = 50;
    static final Duration LONGEST_WAIT = Duration.ofDays(365);
    private static final String ID = "[a-z0-9][a-z0-9-]{0,39}";
    private static final List<String> KINDS = List.of("send", "wait", "if", "split", "update", "publish", "exit");
    private static final String REASON = "[a-z0-9_]{1,40}";
    private static final List<String> LINKS = List.of("confirm", "review", "nps");
    private static final List<String> CONSENT_STATES = Arrays.stream(ConsentChange.State.values()).map(Enum::name).toList();

    /** The definition's problems, each with its path. */
    public static final class InvalidFlow extends IllegalArgumentException {
        private final List<String> problems;

        public InvalidFlow(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private FlowParser() {}

    /** Whether a journey document is a written journey (it has steps), not the settings of a shipped one. */
    public static boolean isFlow(JsonNode document) {
        return document != null && document.has("steps");
    }

    /** The written journeys among a shop's journey documents that are switched on (each was checked when saved). */
    public static List<Flow> enabled(Map<String, JsonNode> journeyDocuments) {
        List<Flow> flows = new ArrayList<>();
        journeyDocuments.forEach((id, doc) -> {
            if (!isFlow(doc)) return;
            Flow flow = parse(id, doc, TemplateTypes.ANY);
            if (flow.enabled()) flows.add(flow);
        });
        return flows;
    }

    /**
     * @param templateExists whether the shop has a template of that id (saving checks it; a running entry, which
     *                       already passed, reads its definition with {@code t -> true})
     */
    public static Flow parse(String id, JsonNode doc, TemplateTypes templateExists) {
        List<String> problems = new ArrayList<>();
        if (id == null || !id.matches(ID)) problems.add("id: 1-40 lower-case letters, digits or '-'");
        if (doc == null || !doc.isObject()) throw new InvalidFlow(List.of("a journey must be an object with trigger and steps"));
        Trigger trigger = trigger(doc.path("trigger"), problems);
        Flow.Key key = key(doc.path("key"), trigger, problems);
        int reentry = bounded(doc, "reentryDays", 0, 3650, problems);
        int holdout = bounded(doc, "holdoutPercent", 0, 100, problems);
        int dailyCap = bounded(doc, "dailyCap", 0, 10_000_000, problems);
        Map<String, String> goals = new LinkedHashMap<>();
        JsonNode goalList = doc.path("goals");
        if (!goalList.isMissingNode() && !goalList.isArray()) problems.add("goals: a list of event names");
        for (int i = 0; i < goalList.size(); i++) {
            JsonNode g = goalList.get(i);
            String goal = g.isObject() ? g.path("event").asText("") : g.asText("");
            String reason = g.isObject() ? g.path("exit").asText("goal") : "goal";
            if (goal.isBlank() || goal.length() > 256) problems.add("goals[" + i + "]: an event name, or {event, exit: <reason>}");
            else if (!reason.matches(REASON)) problems.add("goals[" + i + "].exit: 1-40 of a-z 0-9 _");
            else goals.put(goal, reason);
        }
        JsonNode data = doc.path("data");
        if (!data.isMissingNode() && !data.isObject()) problems.add("data: an object the templates read as data");
        List<Flow.Variant> variants = variants(doc.path("variants"), problems);
        List<Step> steps = steps(doc.path("steps"), templateExists, problems);
        for (Step step : steps) {
            if (step instanceof Step.Send send && send.kind().equals("transactional") && !(trigger instanceof Trigger.OnEvent || trigger instanceof Trigger.OnSubscription)) {
                // transactional mail carries no unsubscribe link: only the person's own act (an order, a sign-up) may call for it
                problems.add("steps[" + steps.indexOf(step) + "].send.kind: transactional mail has no unsubscribe link, so only a journey started by"
                        + " the person's own event may send it; this one starts on a segment or a date: send marketing");
            }
            if (step instanceof Step.Send send) {
                for (String variant : send.variants().keySet()) {
                    if (variants.stream().noneMatch(v -> v.name().equals(variant)) && steps.stream().noneMatch(s -> s instanceof Step.Split split
                            && split.arms().stream().anyMatch(a -> a.name().equals(variant)))) {
                        problems.add("steps[" + steps.indexOf(step) + "].send.variants." + variant + ": no variant or split arm of that name");
                    }
                }
            }
        }
        if (!problems.isEmpty()) throw new InvalidFlow(problems);
        return new Flow(id, doc.path("name").asText(id), doc.path("enabled").asBoolean(true), trigger, key, reentry, holdout, dailyCap,
                Map.copyOf(goals), data.isObject() ? (ObjectNode) data : Json.object(), variants, steps, doc);
    }

    private static List<Flow.Variant> variants(JsonNode list, List<String> problems) {
        List<Flow.Variant> variants = new ArrayList<>();
        if (list.isMissingNode()) return variants;
        if (!list.isArray() || list.size() > 10) {
            problems.add("variants: a list of up to 10 {name, weight}");
            return variants;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).path("name").asText("");
            JsonNode weight = list.get(i).path("weight");
            if (!name.matches("[A-Za-z0-9_-]{1,32}") || !names.add(name)) problems.add("variants[" + i + "].name: 1-32 letters, digits, '-' or '_', each once");
            if (!weight.isIntegralNumber() || weight.asInt() < 0 || weight.asInt() > 1000) problems.add("variants[" + i + "].weight: a whole number from 0 to 1000");
            variants.add(new Flow.Variant(name, Math.max(0, weight.asInt())));
        }
        if (!variants.isEmpty() && variants.stream().mapToInt(Flow.Variant::weight).sum() <= 0) problems.add("variants: the weights must add up to more than 0");
        return List.copyOf(variants);
    }

    private static Trigger trigger(JsonNode t, List<String> problems) {
        if (!t.isObject()) {
            problems.add("trigger: required, one of event, subscription, segment, date or api");
            return null;
        }
        int kinds = (t.has("event") ? 1 : 0) + (t.has("subscription") ? 1 : 0) + (t.has("segment") ? 1 : 0) + (t.has("date") ? 1 : 0)
                + (t.has("api") ? 1 : 0);
        if (kinds != 1) {
            problems.add("trigger: exactly one of event, subscription, segment, date or api");
            return null;
        }
        if (t.has("event")) {
            List<String> events = new ArrayList<>();
            JsonNode e = t.get("event");
            for (JsonNode name : e.isArray() ? e : List.of(e)) events.add(name.asText(""));
            if (events.isEmpty() || events.stream().anyMatch(n -> n.isBlank() || n.length() > 256)) problems.add("trigger.event: an event name, or a list of them");
            return new Trigger.OnEvent(List.copyOf(events));
        }
        if (t.has("api")) {
            if (!t.get("api").asBoolean(false)) problems.add("trigger.api: true");
            return new Trigger.OnApi();
        }
        if (t.has("subscription")) {
            if (!t.get("subscription").asBoolean(false)) problems.add("trigger.subscription: true");
            return new Trigger.OnSubscription();
        }
        if (t.has("segment")) {
            JsonNode s = t.get("segment");
            String entered = s.path("entered").asText(null);
            String exited = s.path("exited").asText(null);
            if ((entered == null) == (exited == null)) {
                problems.add("trigger.segment: {entered: <segment id>} or {exited: <segment id>}");
                return null;
            }
            return new Trigger.OnSegment(entered != null ? entered : exited, entered != null);
        }
        JsonNode d = t.get("date");
        String trait = d.path("trait").asText("");
        if (trait.isBlank()) problems.add("trigger.date.trait: the date trait to count from");
        if (d.has("before") == d.has("after")) {
            problems.add("trigger.date: before or after, an ISO-8601 duration such as P3D");
            return null;
        }
        String field = d.has("before") ? "before" : "after";
        Duration offset = duration(d.get(field), "trigger.date." + field, problems);
        return offset == null ? null : new Trigger.OnDate(trait, d.has("before") ? offset.negated() : offset);
    }

    private static Flow.Key key(JsonNode k, Trigger trigger, List<String> problems) {
        if (k.isMissingNode() || k.isNull()) {
            // a date trigger fires once per date: a renewed policy's new date is a new entry
            return trigger instanceof Trigger.OnDate date ? new Flow.Key("trait", List.of(date.trait())) : Flow.Key.CONTACT;
        }
        String text = k.asText("");
        if (text.equals("contact")) return Flow.Key.CONTACT;
        int colon = text.indexOf(':');
        String kind = colon < 0 ? "" : text.substring(0, colon);
        List<String> names = colon < 0 ? List.of() : List.of(text.substring(colon + 1).split("\\|"));
        if ((kind.equals("property") && !names.isEmpty() || kind.equals("trait") && names.size() == 1) && names.stream().noneMatch(String::isBlank)) {
            return new Flow.Key(kind, names);
        }
        problems.add("key: contact, property:<name>[|<name>…] (the first present) or trait:<name>");
        return Flow.Key.CONTACT;
    }

    private static List<Step> steps(JsonNode list, TemplateTypes templateExists, List<String> problems) {
        List<Step> steps = new ArrayList<>();
        if (!list.isArray() || list.isEmpty()) {
            problems.add("steps: a list of at least one step");
            return steps;
        }
        if (list.size() > MAX_STEPS) problems.add("steps: at most " + MAX_STEPS);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "steps[" + i + "]";
            JsonNode s = list.get(i);
            String id = s.path("id").asText("");
            if (!id.matches(ID) || id.equals(Flow.END)) problems.add(at + ".id: 1-40 lower-case letters, digits or '-' (not 'end')");
            else if (!ids.add(id)) problems.add(at + ".id: " + id + " is used twice");
            long kinds = KINDS.stream().filter(s::has).count();
            if (kinds != 1) {
                problems.add(at + ": exactly one of " + String.join(", ", KINDS));
                continue;
            }
            if (s.has("send")) steps.add(send(id, s.get("send"), at, templateExists, problems));
            else if (s.has("wait")) steps.add(wait(id, s, at, problems));
            else if (s.has("exit")) steps.add(exit(id, s.get("exit"), at, problems));
            else if (s.has("split")) steps.add(split(id, s.get("split"), at, problems));
            else if (s.has("update")) steps.add(update(id, s.get("update"), at, problems));
            else if (s.has("publish")) steps.add(publish(id, s.get("publish"), at, problems));
            else steps.add(branch(id, s, at, problems));
        }
        // every jump goes forward only: to a later step or to the end, so a definition cannot loop
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Step.Wait w && w.timeout() != null) checkTarget(steps, i, w.timeout(), "steps[" + i + "].timeout", problems);
            if (steps.get(i) instanceof Step.Branch b) {
                if (b.then() != null) checkTarget(steps, i, b.then(), "steps[" + i + "].then", problems);
                if (b.otherwise() != null) checkTarget(steps, i, b.otherwise(), "steps[" + i + "].else", problems);
            }
            if (steps.get(i) instanceof Step.Split split) {
                for (int a = 0; a < split.arms().size(); a++) {
                    checkTarget(steps, i, split.arms().get(a).then(), "steps[" + i + "].split[" + a + "].then", problems);
                }
            }
        }
        return steps;
    }

    private static Step send(String id, JsonNode send, String at, TemplateTypes templateExists, List<String> problems) {
        String channel = send.has("sms") ? Step.Send.SMS : Step.Send.EMAIL;
        if (send.has("sms") && send.has("template")) problems.add(at + ".send: template (an email) or sms (a text), not both");
        String template = send.isTextual() ? send.asText() : send.path(send.has("sms") ? "sms" : "template").asText("");
        String kind = send.isTextual() ? "marketing" : send.path("kind").asText("marketing");
        if (template.isBlank()) problems.add(at + ".send: a template id, {template: …, kind: marketing|transactional}, or {sms: <sms template>}");
        else if (templateExists.refusal(template, channel) != null) problems.add(at + ".send" + (send.has("sms") ? ".sms" : "") + ": " + templateExists.refusal(template, channel));
        if (!kind.equals("marketing") && !kind.equals("transactional")) problems.add(at + ".send.kind: marketing or transactional");
        Map<String, String> variants = new LinkedHashMap<>();
        JsonNode v = send.path("variants");
        if (!v.isMissingNode() && !v.isObject()) problems.add(at + ".send.variants: {<variant or arm>: <template>}");
        v.properties().forEach(e -> {
            String refused = templateExists.refusal(e.getValue().asText(), channel);
            if (refused != null) problems.add(at + ".send.variants." + e.getKey() + ": " + refused);
            variants.put(e.getKey(), e.getValue().asText());
        });
        List<String> links = new ArrayList<>();
        JsonNode l = send.path("links");
        if (!l.isMissingNode() && !l.isArray()) problems.add(at + ".send.links: a list of " + String.join(", ", LINKS));
        for (int i = 0; i < l.size(); i++) {
            if (!LINKS.contains(l.get(i).asText())) problems.add(at + ".send.links[" + i + "]: one of " + String.join(", ", LINKS));
            else links.add(l.get(i).asText());
        }
        String coupon = Json.text(send, "coupon");
        if (coupon != null && !coupon.matches("[a-z0-9][a-z0-9-]{0,39}")) problems.add(at + ".send.coupon: a coupon's id");
        return new Step.Send(id, template, kind, Map.copyOf(variants), List.copyOf(links), channel, coupon);
    }

    private static Step exit(String id, JsonNode exit, String at, List<String> problems) {
        if (exit.isBoolean() && exit.asBoolean()) return new Step.Exit(id, "exited");
        if (exit.isTextual() && exit.asText().matches(REASON)) return new Step.Exit(id, exit.asText());
        problems.add(at + ".exit: true, or the reason it is counted as (1-40 of a-z 0-9 _)");
        return new Step.Exit(id, "exited");
    }

    private static Step split(String id, JsonNode arms, String at, List<String> problems) {
        List<Step.Split.Arm> list = new ArrayList<>();
        if (!arms.isArray() || arms.size() < 2 || arms.size() > 10) {
            problems.add(at + ".split: 2 to 10 arms, each {name, weight, then}");
            return new Step.Split(id, list);
        }
        Set<String> names = new HashSet<>();
        for (int a = 0; a < arms.size(); a++) {
            JsonNode arm = arms.get(a);
            String name = arm.path("name").asText("arm-" + (a + 1));
            if (!name.matches("[A-Za-z0-9_-]{1,32}") || !names.add(name)) problems.add(at + ".split[" + a + "].name: 1-32 letters, digits, '-' or '_', each once");
            JsonNode weight = arm.path("weight");
            if (!weight.isIntegralNumber() || weight.asInt() < 1 || weight.asInt() > 1000) problems.add(at + ".split[" + a + "].weight: a whole number from 1 to 1000");
            String then = arm.path("then").asText(null);
            if (then == null) problems.add(at + ".split[" + a + "].then: the step this arm goes to (a later step's id, or end)");
            list.add(new Step.Split.Arm(name, Math.max(1, weight.asInt()), then));
        }
        return new Step.Split(id, List.copyOf(list));
    }

    private static Step update(String id, JsonNode update, String at, List<String> problems) {
        JsonNode traits = update.path("traits");
        if (!traits.isObject() || traits.isEmpty()) {
            problems.add(at + ".update.traits: the traits to set, e.g. {vip: true}");
            return new Step.Update(id, Json.object());
        }
        return new Step.Update(id, (ObjectNode) traits);
    }

    private static Step publish(String id, JsonNode publish, String at, List<String> problems) {
        String type = publish.path("type").asText("");
        if (!type.matches("[a-z0-9][a-z0-9._-]{0,63}")) problems.add(at + ".publish.type: the event's detail-type, 1-64 of a-z 0-9 . _ -");
        JsonNode detail = publish.path("detail");
        if (!detail.isMissingNode() && !detail.isObject()) problems.add(at + ".publish.detail: an object");
        String withEvent = publish.path("withEvent").asText(null);
        if (withEvent != null && withEvent.isBlank()) problems.add(at + ".publish.withEvent: an event name");
        return new Step.Publish(id, type, detail.isObject() ? (ObjectNode) detail : Json.object(), withEvent);
    }

    /** {@code wait: {until: best_time}}: the contact's next best hour to be emailed. */
    static final String BEST_TIME = "best_time";

    private static Step wait(String id, JsonNode s, String at, List<String> problems) {
        JsonNode wait = s.get("wait");
        String timeout = s.path("timeout").asText(null);
        if (wait.isObject() && wait.has("for")) {
            List<String> events = new ArrayList<>();
            for (JsonNode name : wait.get("for").isArray() ? wait.get("for") : List.of(wait.get("for"))) events.add(name.asText(""));
            if (events.isEmpty() || events.stream().anyMatch(n -> n.isBlank() || n.length() > 256)) problems.add(at + ".wait.for: an event name, or a list of them");
            Duration within = wait.has("within") ? duration(wait.get("within"), at + ".wait.within", problems) : null;
            if (!wait.has("within")) problems.add(at + ".wait.within: how long at most, an ISO-8601 duration such as P3D");
            String match = wait.path("match").asText(null);
            return new Step.Wait(id, within == null ? Duration.ofDays(1) : within, null, List.copyOf(events), match, timeout);
        }
        if (timeout != null) problems.add(at + ".timeout: only a wait for an event has one");
        if (wait.isObject() && BEST_TIME.equals(wait.path("until").asText())) return new Step.Wait(id, null, null, List.of(), null, null);
        if (wait.isObject() && wait.has("until")) {
            try {
                return new Step.Wait(id, null, LocalTime.parse(wait.get("until").asText()), List.of(), null, null);
            } catch (DateTimeParseException bad) {
                problems.add(at + ".wait.until: a time of day such as 09:00, or best_time (the contact's best hour)");
                return new Step.Wait(id, Duration.ZERO, null, List.of(), null, null);
            }
        }
        Duration d = duration(wait, at + ".wait", problems);
        return new Step.Wait(id, d == null ? Duration.ZERO : d, null, List.of(), null, null);
    }

    private static Step branch(String id, JsonNode s, String at, List<String> problems) {
        JsonNode cond = s.get("if");
        String then = s.path("then").asText(null);
        String otherwise = s.path("else").asText(null);
        if (then == null && otherwise == null) problems.add(at + ": then or else, the step to go to (a later step's id, end or exit:<reason>)");
        if (cond.isObject() && cond.has("did")) {
            String did = cond.path("did").asText("");
            if (did.isBlank()) problems.add(at + ".if.did: an event name");
            return new Step.Branch(id, did, SegmentParser.where(cond.path("where"), at + ".if.where", problems), null, null, null, then, otherwise);
        }
        if (cond.isObject() && (cond.has("consent") || cond.has("sms_consent"))) {
            String field = cond.has("sms_consent") ? "sms_consent" : "consent";
            String state = cond.path(field).asText("");
            if (!CONSENT_STATES.contains(state)) problems.add(at + ".if." + field + ": one of " + String.join(", ", CONSENT_STATES));
            return new Step.Branch(id, null, List.of(), state, field.equals("consent") ? ConsentChange.EMAIL_MARKETING : ConsentChange.SMS_MARKETING,
                    null, then, otherwise);
        }
        Condition condition = SegmentParser.condition(cond, at + ".if", problems);
        return new Step.Branch(id, null, List.of(), null, null, condition, then, otherwise);
    }

    private static void checkTarget(List<Step> steps, int from, String target, String at, List<String> problems) {
        if (target == null || target.equals(Flow.END)) return;
        if (target.startsWith(Flow.EXIT_PREFIX)) {
            if (!target.substring(Flow.EXIT_PREFIX.length()).matches(REASON)) problems.add(at + ": exit:<reason>, the reason 1-40 of a-z 0-9 _");
            return;
        }
        int to = -1;
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).id().equals(target)) to = i;
        if (to < 0) problems.add(at + ": no step " + target);
        else if (to <= from) problems.add(at + ": " + target + " is not after this step (a journey goes forward only, so it cannot loop)");
    }

    private static Duration duration(JsonNode node, String at, List<String> problems) {
        try {
            Duration d = Duration.parse(node.asText(""));
            if (d.isNegative() || d.isZero() || d.compareTo(LONGEST_WAIT) > 0) {
                problems.add(at + ": more than nothing and at most 365 days");
                return null;
            }
            return d;
        } catch (DateTimeParseException bad) {
            problems.add(at + ": an ISO-8601 duration such as P2D or PT4H");
            return null;
        }
    }

    /** The whole number {@code field} of {@code doc} between min and max (min when absent), or a problem named by the field. */
    static int bounded(JsonNode doc, String field, int min, int max, List<String> problems) {
        JsonNode v = doc.path(field);
        if (v.isMissingNode() || v.isNull()) return min;
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            problems.add(field + ": a whole number from " + min + " to " + max);
            return min;
        }
        return v.asInt();
    }
}
