package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.journey.JourneyEntries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Journey entries against DynamoDB Local: the re-entry window, a retried entry, and the executions a goal looks up. */
class DynamoJourneyEntriesTest {
    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static DynamoJourneyEntries entries;

    @BeforeAll
    static void start() {
        entries = new DynamoJourneyEntries(db.table());
    }

    @Test
    void anEntryWithinTheWindowIsRefusedButTheSameEntryRetriedIsNot() {
        Duration week = Duration.ofDays(7);
        assertThat(entries.enter("demo", "c-1", "quotes", T0, T0.minus(week))).isTrue();
        assertThat(entries.enter("demo", "c-1", "quotes", T0, T0.minus(week))).as("the same entry, retried").isTrue();
        Instant later = T0.plus(Duration.ofDays(2));
        assertThat(entries.enter("demo", "c-1", "quotes", later, later.minus(week))).as("another entry two days on").isFalse();
        Instant afterTheWindow = T0.plus(Duration.ofDays(8));
        assertThat(entries.enter("demo", "c-1", "quotes", afterTheWindow, afterTheWindow.minus(week))).isTrue();
        assertThat(entries.lastEntered("demo", "c-1", "quotes")).contains(afterTheWindow);
        assertThat(entries.lastEntered("demo", "c-1", "never")).isEmpty();
    }

    @Test
    void theExecutionsStartedSinceAnInstantAreFoundByJourneyAndName() {
        entries.running("demo", "c-2", "abandoned-checkout", "demo-abandoned-checkout-tok-1", T0.minus(Duration.ofDays(400)));
        entries.running("demo", "c-2", "policy-renewal", "demo-policy-renewal-c-2-2026-12-01", T0);
        assertThat(entries.startedSince("demo", "c-2", T0.minus(Duration.ofDays(366))))
                .containsExactly(new JourneyEntries.Started("policy-renewal", "demo-policy-renewal-c-2-2026-12-01", T0));
    }

    @Test
    void anExecutionIsRecordedOnceRunningIsWrittenAndNotBefore() {
        assertThat(entries.recorded("demo", "c-4", "browse-abandonment", "demo-browse-abandonment-c-4")).isFalse();
        entries.running("demo", "c-4", "browse-abandonment", "demo-browse-abandonment-c-4", T0);
        assertThat(entries.recorded("demo", "c-4", "browse-abandonment", "demo-browse-abandonment-c-4")).isTrue();
        assertThat(entries.recorded("demo", "c-4", "browse-abandonment", "another")).isFalse();
    }

    @Test
    void aWaitForAnEventIsRecordedOnItsExecutionClearedWhenHeardAndNeverCreatesAnItem() {
        entries.running("demo", "c-3", "post-purchase", "demo-post-purchase-1001", T0);
        var listening = new JourneyEntries.Listening(List.of("Order Fulfilled", "Fulfillment Created"), "order_id", "1001", "token-1",
                T0.plus(Duration.ofDays(30)));
        entries.listen("demo", "c-3", "post-purchase", "demo-post-purchase-1001", listening);
        assertThat(entries.startedSince("demo", "c-3", T0.minus(Duration.ofDays(1))))
                .containsExactly(new JourneyEntries.Started("post-purchase", "demo-post-purchase-1001", T0, listening));
        entries.heard("demo", "c-3", "post-purchase", "demo-post-purchase-1001");
        assertThat(entries.startedSince("demo", "c-3", T0.minus(Duration.ofDays(1))))
                .containsExactly(new JourneyEntries.Started("post-purchase", "demo-post-purchase-1001", T0));
        // an erased person's execution has no item: listening and clearing create none
        entries.listen("demo", "c-gone", "post-purchase", "demo-post-purchase-1002", listening);
        entries.heard("demo", "c-gone", "post-purchase", "demo-post-purchase-1002");
        assertThat(entries.startedSince("demo", "c-gone", T0.minus(Duration.ofDays(400)))).isEmpty();
    }
}
