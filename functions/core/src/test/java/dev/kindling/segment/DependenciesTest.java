package dev.kindling.segment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which conditions time can only make false: the scheduled refresh reads no events to re-check those. */
class DependenciesTest {
    static boolean onlyLapses(String condition) {
        return Dependencies.onlyLapses(SegmentParser.fromYaml("id: t\nname: t\ncondition: " + condition).condition());
    }

    @Test
    void eventsPerformedWithinASlidingWindowOnlyLapseAndWhatMovesWithTheClockDoesNot() {
        assertThat(onlyLapses("{event: Checkout Started, within: {days: 7}}")).isTrue();
        assertThat(onlyLapses("{any: [{event: Product Added, within: {days: 14}}, {event: Product Viewed, count: {min: 3}, within: {days: 7}}]}"))
                .isTrue();
        assertThat(onlyLapses("{all: [{event: Checkout Started, within: {days: 7}}, {trait: email, op: exists}, {metric: orders, op: gte, value: 1}]}"))
                .as("with what time does not move").isTrue();
        assertThat(onlyLapses("{event: Product Reviewed, afterLast: Order Completed}")).as("no window: time moves nothing").isTrue();

        assertThat(onlyLapses("{not: {event: Checkout Started, within: {days: 7}}}")).as("an event leaving its window makes it true").isFalse();
        assertThat(onlyLapses("{event: Checkout Started, performed: false, within: {days: 7}}")).isFalse();
        assertThat(onlyLapses("{event: Product Viewed, count: {max: 2}, within: {days: 7}}")).as("at most: true once some leave").isFalse();
        assertThat(onlyLapses("{all: [{event: Checkout Started, within: {days: 7}}, {score: intent, op: lt, value: 3}]}")).as("scores decay").isFalse();
        assertThat(onlyLapses("{metric: days_since_last_order, op: gte, value: 7}")).isFalse();
        assertThat(onlyLapses("{anniversary: birthday}")).isFalse();
    }
}
