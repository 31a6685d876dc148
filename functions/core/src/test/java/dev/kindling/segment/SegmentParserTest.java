package dev.kindling.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentParserTest {

    @Test
    void theReadableYamlFormParses() {
        SegmentDefinition s = SegmentParser.fromYaml(SegmentFixtures.ABANDONED_CHECKOUT_YAML);
        assertThat(s.id()).isEqualTo("abandoned-checkout");
        var all = (Condition.All) s.condition();
        var started = (Condition.Event) all.conditions().get(0);
        assertThat(started.window().within()).isEqualTo(Duration.ofHours(24));
        var ordered = (Condition.Event) all.conditions().get(1);
        assertThat(ordered.performed()).isFalse();
        assertThat(ordered.afterLast()).isEqualTo("Checkout Started");
        assertThat(s.dependencies().events()).containsExactlyInAnyOrder("Checkout Started", "Order Completed");
        assertThat(s.dependencies().timeBased()).isTrue();
    }

    @Test
    void everyProblemIsNamedWithItsPath() {
        assertThatThrownBy(() -> SegmentParser.fromYaml("""
                id: Bad Id
                condition:
                  any:
                    - trait: plan
                      op: greater
                      value: 3
                    - score: engagement
                      op: gte
                      value: lots
                    - stage: [purchase, sleeping]
                    - event: Product Viewed
                      within: {fortnights: 1}
                    - metric: revenue
                      op: gt
                      value: 10
                    - bucket: {salt: x, from: 50, to: 20}
                    - {}
                """))
                .isInstanceOf(SegmentParser.InvalidSegment.class)
                .satisfies(e -> assertThat(((SegmentParser.InvalidSegment) e).problems()).containsExactly(
                        "id: must be 1-64 lower-case letters, digits, '-' or '_'",
                        "condition.any[0].op: unknown operator 'greater' (one of equals, not_equals, contains, exists, not_exists, gt, gte, lt, lte, in, date_before, date_after)",
                        "condition.any[1].value: a number",
                        "condition.any[2].stage: unknown stage 'sleeping' (one of advocacy, at_risk, awareness, bond, consideration, enjoyment, evaluation, intent, interest, lapsed, purchase)",
                        "condition.any[3].within: a duration such as {days: 7}, {hours: 24} or P7D",
                        "condition.any[4].metric: unknown metric 'revenue' (one of orders, total_spent, average_order_value, days_since_last_order, predicted_clv, churn_probability, expected_next_order)",
                        "condition.any[5].bucket: from and to with 0 <= from < to <= 100",
                        "condition.any[6]: no condition key (one of all, any, not, trait, event, lastPerformed, score, stage, metric, date, anniversary, inSegment, bucket)"));
    }

    @Test
    void valuesMustFitTheirOperators() {
        assertThatThrownBy(() -> SegmentParser.fromYaml("""
                id: s
                condition: {trait: tags, op: in, value: vip}
                """)).hasMessageContaining("condition.value: a list for in");
        assertThatThrownBy(() -> SegmentParser.fromYaml("""
                id: s
                condition: {trait: expires, op: date_before, value: soon}
                """)).hasMessageContaining("condition.value: a date");
        assertThatThrownBy(() -> SegmentParser.fromYaml("id: s\n")).hasMessageContaining("condition: required");
        assertThatThrownBy(() -> SegmentParser.fromYaml("id: [")).hasMessageContaining("not valid YAML");
    }

    @Test
    void runawayTreesAreRefused() {
        String deep = "{\"not\": ".repeat(20) + "{\"inSegment\": \"x\"}" + "}".repeat(20);
        assertThatThrownBy(() -> SegmentParser.parse(Json.read("{\"id\": \"s\", \"condition\": " + deep + "}",
                JsonNode.class))).hasMessageContaining("nested deeper than");
    }

    @Test
    void cyclesAndUnknownReferencesBetweenSegmentsAreRefused() {
        var a = SegmentParser.fromYaml("id: a\ncondition: {inSegment: b}");
        var b = SegmentParser.fromYaml("id: b\ncondition: {inSegment: a}");
        assertThatThrownBy(() -> new SegmentIndex(List.of(a, b))).hasMessageContaining("cycle");
        assertThatThrownBy(() -> new SegmentIndex(List.of(a))).hasMessageContaining("unknown segment b");
    }
}
