package dev.kindling.journey.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.journey.flow.Flow.Step;
import dev.kindling.segment.SegmentParser;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlowParserTest {
    static final Set<String> TEMPLATES = Set.of("policy-reminder", "policy-last-call", "welcome");

    static Flow parse(String id, String yaml) {
        return FlowParser.parse(id, SegmentParser.yamlTree(yaml), TEMPLATES::contains);
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
                  - {id: last-call, send: {template: policy-last-call, kind: transactional}}
                  - {id: done, exit: true}
                """);
        assertThat(flow.trigger()).isEqualTo(new Flow.Trigger.OnDate("policy_expires_at", Duration.ofDays(-3)));
        assertThat(flow.key()).as("a date trigger enters once per date").isEqualTo(new Flow.Key("trait", "policy_expires_at"));
        assertThat(flow.goals()).containsExactly("Policy Renewed");
        assertThat(flow.holdoutPercent()).isEqualTo(10);
        assertThat(flow.enabled()).isTrue();
        assertThat(flow.steps()).hasSize(7);
        assertThat(flow.steps().get(0)).isEqualTo(new Step.Send("reminder", "policy-reminder", "marketing"));
        assertThat(flow.steps().get(1)).isEqualTo(new Step.Wait("pause", Duration.ofDays(2), null));
        assertThat(flow.steps().get(3)).isEqualTo(new Step.Wait("morning", null, LocalTime.of(9, 0)));
        assertThat(((Step.Branch) flow.steps().get(4)).condition()).isNotNull();
        assertThat(flow.indexOf("done")).isEqualTo(6);
        assertThat(parse("carts", "{trigger: {event: Checkout Started}, key: 'property:checkout_token', steps: [{id: a, send: welcome}]}").key())
                .isEqualTo(new Flow.Key("property", "checkout_token"));
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
                "trigger: exactly one of event, segment or date",
                "key: contact, property:<name> or trait:<name>",
                "reentryDays: a whole number from 0 to 3650",
                "holdoutPercent: a whole number from 0 to 100",
                "goals: a list of event names",
                "steps[0].send: no template nope",
                "steps[1].id: a is used twice",
                "steps[1].wait: an ISO-8601 duration such as P2D or PT4H",
                "steps[2].then: the step to go to (a later step's id, or end)",
                "steps[3]: exactly one of send, wait, if, split, update, publish, exit",
                "steps[4].wait.until: a time of day such as 09:00");
        assertThat(problems("x", "{trigger: {event: X}, steps: []}")).containsExactly("steps: a list of at least one step");
        assertThat(problems("welcome", "{trigger: {event: X}, steps: [{id: a, exit: true}]}"))
                .containsExactly("id: welcome is a shipped journey; its settings take no steps");
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
                .containsExactly(org.assertj.core.groups.Tuple.tuple("short", 20), org.assertj.core.groups.Tuple.tuple("long", 80));
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
            Step.Split.Arm arm = FlowSteps.arm(split, flow, contact);
            assertThat(FlowSteps.arm(split, flow, contact)).isEqualTo(arm);
            if (arm.name().equals("short")) shorter++;
        }
        assertThat(shorter).as("about 20% of 10,000").isBetween(1_800, 2_200);
    }

    @Test
    void onlyDocumentsWithStepsAreWrittenJourneysAndOnlyEnabledOnesRun() {
        var docs = new java.util.LinkedHashMap<String, com.fasterxml.jackson.databind.JsonNode>();
        docs.put("abandoned-checkout", SegmentParser.yamlTree("{holdoutPercent: 10}"));
        docs.put("on", SegmentParser.yamlTree("{trigger: {event: X}, steps: [{id: a, exit: true}]}"));
        docs.put("off", SegmentParser.yamlTree("{enabled: false, trigger: {event: X}, steps: [{id: a, exit: true}]}"));
        assertThat(FlowParser.enabled(docs)).extracting(Flow::id).containsExactly("on");
        assertThatThrownBy(() -> FlowParser.parse("x", null, t -> true)).isInstanceOf(FlowParser.InvalidFlow.class);
    }
}
