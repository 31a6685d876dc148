package dev.kindling.journey.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.email.TemplateTypes;
import dev.kindling.email.TemplateLibrary;
import dev.kindling.journey.flow.Flow.Step;
import dev.kindling.json.Json;
import dev.kindling.segment.SegmentParser;
import java.time.Duration;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class FlowParserTest {
    static final Set<String> TEMPLATES = Set.of("policy-reminder", "policy-last-call", "welcome");

    static Flow parse(String id, String yaml) {
        return FlowParser.parse(id, SegmentParser.yamlTree(yaml), TemplateTypes.emails(TEMPLATES));
    }

    static List<String> problems(String id, String yaml) {
        try {
            parse(id, yaml);
            return List.of();
        } catch (FlowParser.InvalidFlow invalid) {
            return invalid.problems();
        }
    }

    @Test
    void aDefinitionReadsIntoItsTriggerKeyGoalsAndSteps() {
        Flow flow = parse("policy-renewal", """
                name: Policy renewal
                trigger: {date: {trait: policy_expires_at, before: P3D}}
                goals: [Policy Renewed]
                holdoutPercent: 10
                steps:
                  - {id: reminder, send: policy-reminder}
                  - {id: pause, wait: P2D}
                  - {id: renewed, if: {did: Policy Renewed}, then: end}
                  - {id: morning, wait: {until: "09:00"}}
                  - {id: vip, if: {trait: tier, op: equals, value: gold}, then: last-call, else: done}
                  - {id: last-call, send: {template: policy-last-call}}
                  - {id: done, exit: true}
                """);
        assertThat(flow.trigger()).isEqualTo(new Flow.Trigger.OnDate("policy_expires_at", Duration.ofDays(-3)));
        assertThat(flow.key()).as("a date trigger enters once per date").isEqualTo(new Flow.Key("trait", List.of("policy_expires_at")));
        assertThat(flow.goals()).containsExactly(Map.entry("Policy Renewed", "goal"));
        assertThat(flow.holdoutPercent()).isEqualTo(10);
        assertThat(flow.enabled()).isTrue();
        assertThat(flow.steps()).hasSize(7);
        assertThat(flow.steps().get(0)).isEqualTo(new Step.Send("reminder", "policy-reminder", "marketing", Map.of(), List.of(), Step.Send.EMAIL, null));
        assertThat(flow.steps().get(1)).isEqualTo(new Step.Wait("pause", Duration.ofDays(2), null, List.of(), null, null));
        assertThat(flow.steps().get(3)).isEqualTo(new Step.Wait("morning", null, LocalTime.of(9, 0), List.of(), null, null));
        assertThat(((Step.Branch) flow.steps().get(4)).condition()).isNotNull();
        assertThat(flow.indexOf("done")).isEqualTo(6);
        assertThat(parse("carts", "{trigger: {event: Checkout Started}, key: 'property:checkout_token', steps: [{id: a, send: welcome}]}").key())
                .isEqualTo(new Flow.Key("property", List.of("checkout_token")));
    }

    @Test
    void everyProblemIsNamedByItsPath() {
        assertThat(problems("Bad Id", """
                trigger: {event: X, segment: {entered: vip}}
                key: email
                reentryDays: -1
                holdoutPercent: 101
                goals: ""
                steps:
                  - {id: a, send: nope}
                  - {id: a, wait: P2Y}
                  - {id: b, if: {did: X}}
                  - {id: c, send: welcome, wait: P1D}
                  - {id: d, wait: {until: "25:99"}}
                """)).containsExactlyInAnyOrder(
                "id: 1-40 lower-case letters, digits or '-'",
                "trigger: exactly one of event, subscription, segment, date or api",
                "key: contact, property:<name>[|<name>…] (the first present) or trait:<name>",
                "reentryDays: a whole number from 0 to 3650",
                "holdoutPercent: a whole number from 0 to 100",
                "goals: a list of event names",
                "steps[0].send: no template nope",
                "steps[1].id: a is used twice",
                "steps[1].wait: an ISO-8601 duration such as P2D or PT4H",
                "steps[2]: then or else, the step to go to (a later step's id, end or exit:<reason>)",
                "steps[3]: exactly one of send, wait, if, split, update, publish, exit",
                "steps[4].wait.until: a time of day such as 09:00, or best_time (the contact's best hour)");
        assertThat(problems("x", "{trigger: {event: X}, steps: []}")).containsExactly("steps: a list of at least one step");
        assertThat(problems("x", "{trigger: {segment: {entered: vip}}, steps: [{id: a, send: {template: welcome, kind: transactional}}]}"))
                .as("transactional mail carries no unsubscribe link: only the person's own act may call for it").containsExactly(
                        "steps[0].send.kind: transactional mail has no unsubscribe link, so only a journey started by the person's own event may send it;"
                                + " this one starts on a segment or a date: send marketing");
    }

    @Test
    void aBranchGoesForwardOnlySoNoDefinitionCanLoop() {
        assertThat(problems("x", """
                trigger: {event: X}
                steps:
                  - {id: first, send: welcome}
                  - {id: back, if: {did: Y}, then: first}
                  - {id: self, if: {did: Y}, then: self, else: nowhere}
                """)).containsExactly("steps[1].then: first is not after this step (a journey goes forward only, so it cannot loop)",
                "steps[2].then: self is not after this step (a journey goes forward only, so it cannot loop)", "steps[2].else: no step nowhere");
    }

    @Test
    void splitsUpdatesAndBusEventsAreStepsToo() {
        Flow flow = parse("quotes", """
                trigger: {event: Quote Requested}
                steps:
                  - {id: tag, update: {traits: {quote_stage: requested}}}
                  - {id: crm, publish: {type: crm.task, detail: {queue: quotes}}}
                  - {id: test, split: [{name: short, weight: 20, then: short-note}, {name: long, weight: 80, then: long-note}]}
                  - {id: short-note, send: welcome}
                  - {id: stop, exit: true}
                  - {id: long-note, send: welcome}
                """);
        assertThat(flow.steps().get(0)).isInstanceOf(Step.Update.class);
        assertThat(((Step.Publish) flow.steps().get(1)).detailType()).isEqualTo("crm.task");
        assertThat(((Step.Split) flow.steps().get(2)).arms()).extracting(Step.Split.Arm::name, Step.Split.Arm::weight)
                .containsExactly(Tuple.tuple("short", 20), Tuple.tuple("long", 80));
        assertThat(problems("x", """
                trigger: {event: X}
                steps:
                  - {id: one-arm, split: [{weight: 1, then: end}]}
                  - {id: bad, split: [{name: a, weight: 0, then: one-arm}, {name: a, weight: 1}]}
                  - {id: tag, update: {traits: {}}}
                  - {id: crm, publish: {type: "Not Valid!"}}
                """)).containsExactly("steps[0].split: 2 to 10 arms, each {name, weight, then}",
                "steps[1].split[0].weight: a whole number from 1 to 1000",
                "steps[1].split[1].name: 1-32 letters, digits, '-' or '_', each once",
                "steps[1].split[1].then: the step this arm goes to (a later step's id, or end)",
                "steps[2].update.traits: the traits to set, e.g. {vip: true}",
                "steps[3].publish.type: the event's detail-type, 1-64 of a-z 0-9 . _ -",
                "steps[1].split[0].then: one-arm is not after this step (a journey goes forward only, so it cannot loop)");
    }

    @Test
    void aSplitSendsEachContactTheSameArmEveryTimeInProportionToTheWeights() {
        Flow flow = parse("quotes", """
                trigger: {event: Quote Requested}
                steps:
                  - {id: test, split: [{name: short, weight: 20, then: end}, {name: long, weight: 80, then: end}]}
                """);
        Step.Split split = (Step.Split) flow.steps().getFirst();
        int shorter = 0;
        for (int i = 0; i < 10_000; i++) {
            String contact = "contact-" + i;
            Step.Split.Arm arm = FlowWalk.arm(split, flow, contact);
            assertThat(FlowWalk.arm(split, flow, contact)).isEqualTo(arm);
            if (arm.name().equals("short")) shorter++;
        }
        assertThat(shorter).as("about 20% of 10,000").isBetween(1_800, 2_200);
    }

    @Test
    void waitsForEventsExitReasonsConsentLinksAndVariants() {
        Flow flow = parse("expiry", """
                trigger: {event: [Policy Purchased, Policy Changed]}
                key: property:policy_id|id
                goals: [{event: Policy Cancelled, exit: cancelled}, Policy Renewed]
                data: {discount_code: RENEW10}
                variants: [{name: a, weight: 1}, {name: b, weight: 1}]
                steps:
                  - {id: asked, if: {consent: pending}, else: first}
                  - {id: confirm, send: {template: welcome, kind: transactional, links: [confirm]}}
                  - {id: confirmed, wait: {for: Email Subscription Confirmed, within: P3D}, timeout: "exit:not_confirmed"}
                  - {id: first, send: {template: policy-reminder, variants: {b: policy-last-call}}}
                  - {id: paid, wait: {for: [Order Fulfilled, Fulfillment Created], within: P30D, match: order_id}, timeout: end}
                  - {id: high, if: {did: nps.submitted, where: [{property: score, op: gte, value: 9}]}, then: done}
                  - {id: done, exit: completed}
                """);
        assertThat(flow.trigger()).isEqualTo(new Flow.Trigger.OnEvent(List.of("Policy Purchased", "Policy Changed")));
        assertThat(flow.key()).isEqualTo(new Flow.Key("property", List.of("policy_id", "id")));
        assertThat(flow.goals()).containsEntry("Policy Cancelled", "cancelled").containsEntry("Policy Renewed", "goal");
        assertThat(flow.data().path("discount_code").asText()).isEqualTo("RENEW10");
        assertThat(flow.variants()).extracting(Flow.Variant::name).containsExactly("a", "b");
        assertThat(((Step.Branch) flow.steps().get(0)).consent()).isEqualTo("pending");
        assertThat(((Step.Send) flow.steps().get(1)).links()).containsExactly("confirm");
        assertThat(flow.steps().get(2)).isEqualTo(new Step.Wait("confirmed", Duration.ofDays(3), null, List.of("Email Subscription Confirmed"), null,
                "exit:not_confirmed"));
        assertThat(((Step.Send) flow.steps().get(3)).variants()).containsEntry("b", "policy-last-call");
        assertThat(((Step.Wait) flow.steps().get(4)).match()).isEqualTo("order_id");
        assertThat(((Step.Branch) flow.steps().get(5)).where()).hasSize(1);
        assertThat(flow.steps().get(6)).isEqualTo(new Step.Exit("done", "completed"));
        assertThat(flow.awaited()).containsExactly("Email Subscription Confirmed", "Order Fulfilled", "Fulfillment Created");
        assertThat(problems("x", """
                trigger: {subscription: false}
                goals: [{event: X, exit: "Not A Reason"}]
                steps:
                  - {id: a, wait: {for: X}}
                  - {id: b, wait: P1D, timeout: end}
                  - {id: c, if: {consent: maybe}, then: "exit:Bad Reason"}
                  - {id: d, send: {template: welcome, links: [coupon], variants: {z: welcome}}}
                  - {id: e, exit: 7}
                """)).containsExactlyInAnyOrder("trigger.subscription: true", "goals[0].exit: 1-40 of a-z 0-9 _",
                "steps[0].wait.within: how long at most, an ISO-8601 duration such as P3D", "steps[1].timeout: only a wait for an event has one",
                "steps[2].if.consent: one of granted, withdrawn, pending, not_given", "steps[2].then: exit:<reason>, the reason 1-40 of a-z 0-9 _",
                "steps[3].send.links[0]: one of confirm, review, nps", "steps[3].send.variants.z: no variant or split arm of that name",
                "steps[4].exit: true, or the reason it is counted as (1-40 of a-z 0-9 _)");
    }

    @Test
    void everyShippedJourneyIsADefinitionInTheLanguage() {
        var library = TemplateLibrary.defaults();
        for (String id : Journeys.shipped()) {
            Flow flow = FlowParser.parse(id, Journeys.definition(id), TemplateTypes.of(library));
            assertThat(flow.steps()).as(id).isNotEmpty();
        }
        assertThat(Journeys.shipped()).containsAll(Journeys.SHIPPED).containsAll(Journeys.READY);
        for (String id : Journeys.READY) assertThat(Journeys.of(id, Map.of()).enabled()).as(id + " ships off, ready to switch on").isFalse();
    }

    @Test
    void aShippedJourneysSettingsAreLaidOverItsDefinitionAndCheckedByName() {
        var stored = SegmentParser.yamlTree("""
                holdoutPercent: 10
                data: {discount_code: CART15}
                templates: {first: welcome}
                waits: {wait-first: PT2H}
                variants: [{name: a, weight: 50}, {name: b, weight: 50, templates: {second: policy-reminder}}]
                """);
        Flow flow = FlowParser.parse("abandoned-checkout", Journeys.effective("abandoned-checkout", stored), TemplateTypes.ANY);
        assertThat(flow.holdoutPercent()).isEqualTo(10);
        assertThat(flow.data().path("discount_code").asText()).isEqualTo("CART15");
        assertThat(flow.data().path("discount_percent").asInt()).as("the rest of the data stays").isEqualTo(10);
        assertThat(((Step.Send) flow.steps().get(flow.indexOf("first"))).template()).isEqualTo("welcome");
        assertThat(((Step.Wait) flow.steps().get(flow.indexOf("wait-first"))).duration()).isEqualTo(Duration.ofHours(2));
        assertThat(((Step.Send) flow.steps().get(flow.indexOf("second"))).variants()).containsEntry("b", "policy-reminder");
        assertThat(flow.variants()).hasSize(2);
        assertThat(Journeys.checkSettings("abandoned-checkout", SegmentParser.yamlTree("""
                {holdoutPercent: 120, templates: {first: nope, nothing: welcome}, waits: {first: PT1H, wait-first: soon}, steps2: 1, segment: vip}
                """), TemplateTypes.emails(TEMPLATES))).containsExactlyInAnyOrder("steps2: not a setting (dailyCap, data, enabled, holdoutPercent, reentryDays, segment,"
                        + " templates, variants, waits); to change the steps, save a whole definition with steps",
                "holdoutPercent: a whole number from 0 to 100", "templates.first: no template nope", "templates.nothing: this journey has no such send step",
                "waits.first: this journey has no such wait step", "waits.wait-first: an ISO-8601 duration such as PT2H",
                "segment: this journey does not start on a segment");
        assertThat(Journeys.checkSettings("abandoned-checkout", SegmentParser.yamlTree("{holdoutPercent: 120}"), TemplateTypes.ANY))
                .containsExactly("holdoutPercent: a whole number from 0 to 100");
        Flow winBack = FlowParser.parse("win-back", Journeys.effective("win-back", SegmentParser.yamlTree("{enabled: true, segment: lapsed}")), TemplateTypes.ANY);
        assertThat(winBack.trigger()).isEqualTo(new Flow.Trigger.OnSegment("lapsed", true));
        assertThat(winBack.enabled()).isTrue();
    }

    @Test
    void aShopRunsTheShippedJourneysItsOwnWrittenOnesAndOnlyThoseSwitchedOn() {
        var docs = new LinkedHashMap<String, JsonNode>();
        docs.put("abandoned-checkout", SegmentParser.yamlTree("{holdoutPercent: 10}"));
        docs.put("browse-abandonment", SegmentParser.yamlTree("{enabled: false}"));
        docs.put("welcome", SegmentParser.yamlTree("{name: Our own welcome, trigger: {subscription: true}, steps: [{id: a, send: welcome}]}"));
        docs.put("on", SegmentParser.yamlTree("{trigger: {event: X}, steps: [{id: a, exit: true}]}"));
        docs.put("off", SegmentParser.yamlTree("{enabled: false, trigger: {event: X}, steps: [{id: a, exit: true}]}"));
        List<Flow> running = Journeys.enabled(docs);
        assertThat(running).extracting(Flow::id).contains("welcome", "abandoned-checkout", "post-purchase", "on")
                .doesNotContain("browse-abandonment", "win-back", "off");
        assertThat(running.stream().filter(f -> f.id().equals("welcome")).findFirst().orElseThrow().name())
                .as("a whole definition under a shipped id replaces ours").isEqualTo("Our own welcome");
        assertThatThrownBy(() -> FlowParser.parse("x", null, TemplateTypes.ANY)).isInstanceOf(FlowParser.InvalidFlow.class);
    }

    /** StartExecution takes an input of at most 256 KB in UTF-8 bytes; one over it is refused before the call, naming the limit. */
    @Test
    void anExecutionInputOverStepFunctionsLimitIsRefusedByItsBytes() {
        JsonNode fits = Json.object().put("note", "\u00e9".repeat(100_000)); // 100 K characters, 200 KB
        assertThat(Flow.executionInput("demo-welcome-c1", fits)).hasSizeGreaterThan(100_000);
        JsonNode over = Json.object().put("note", "\u00e9".repeat(140_000)); // 140 K characters, 280 KB
        assertThatThrownBy(() -> Flow.executionInput("demo-welcome-c1", over))
                .hasMessageContaining("Step Functions takes at most " + Flow.MAX_EXECUTION_INPUT_BYTES);
    }

    @Test
    void aTextStepNamesAnSmsTemplateAndAnEmailStepAnEmailOneAndABranchMayAskForSmsConsent() {
        TemplateTypes shop = id -> switch (id) {
            case "flash-text" -> "sms";
            case "flash-email" -> "email";
            default -> null;
        };
        Flow flow = FlowParser.parse("flash", SegmentParser.yamlTree("""
                trigger: {event: Flash Sale Started}
                steps:
                  - {id: email, send: flash-email}
                  - {id: texts, if: {sms_consent: granted}, else: end}
                  - {id: text, send: {sms: flash-text}}
                """), shop);
        assertThat(((Step.Send) flow.steps().get(2)).channel()).isEqualTo(Step.Send.SMS);
        assertThat(((Step.Branch) flow.steps().get(1)).consentPurpose()).isEqualTo("sms_marketing");
        assertThatThrownBy(() -> FlowParser.parse("flash", SegmentParser.yamlTree("""
                trigger: {event: Flash Sale Started}
                steps:
                  - {id: email, send: flash-text}
                  - {id: text, send: {sms: flash-email}}
                  - {id: both, send: {sms: flash-text, template: flash-email}}
                """), shop)).isInstanceOf(FlowParser.InvalidFlow.class)
                .hasMessageContainingAll("steps[0].send: flash-text is an sms template, and this sends an email (an email template)",
                        "steps[1].send.sms: flash-email is an email template, and this sends a text (an sms template)",
                        "steps[2].send: template (an email) or sms (a text), not both");
    }
}
