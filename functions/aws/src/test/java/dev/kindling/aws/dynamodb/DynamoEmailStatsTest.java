package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engagement.EmailStats.Key;
import dev.kindling.engagement.EmailStats;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A journey turn's counters (its entry, the steps it reaches, where it ends) are one write, against DynamoDB Local, and
 * read back under each step beside the SES counts of that step's emails.
 */
class DynamoEmailStatsTest {
    static final LocalDate DAY = LocalDate.parse("2026-12-05");
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static MeteredTable table;
    static DynamoEmailStats stats;

    @BeforeAll
    static void start() {
        table = db.table();
        stats = new DynamoEmailStats(table);
    }

    @Test
    void aJourneyTurnsCountersAreOneWriteAndReadBackUnderTheirSteps() {
        Key journey = new Key("journey:browse", "journey", null), wait = new Key("journey:browse", "wait", null),
                remind = new Key("journey:browse", "remind", null);
        stats.count("demo", DAY, remind, "send"); // the step's email, counted by its SES event
        EmailStats.Tally turn = new EmailStats.Tally();
        turn.count(journey, "entered");
        turn.count(wait, EmailStats.REACHED);
        turn.count(remind, EmailStats.REACHED);
        turn.count(journey, "completed");

        var before = table.meter().snapshot();
        turn.addTo(stats, "demo", DAY);
        assertThat(table.meter().snapshot().minus(before).writeRequests()).as("one write for the turn").isEqualTo(1);

        Map<Key, Map<String, Long>> rows = stats.read("demo", DAY, DAY).stream().collect(Collectors.toMap(EmailStats.Row::key, EmailStats.Row::counts));
        assertThat(rows).containsOnlyKeys(journey, wait, remind);
        assertThat(rows.get(journey)).isEqualTo(Map.of("entered", 1L, "completed", 1L));
        assertThat(rows.get(wait)).isEqualTo(Map.of(EmailStats.REACHED, 1L));
        assertThat(rows.get(remind)).isEqualTo(Map.of(EmailStats.REACHED, 1L, "send", 1L));

        turn.addTo(stats, "demo", DAY);
        assertThat(table.meter().snapshot().minus(before).writeRequests()).as("added once").isEqualTo(1);
        EmailStats.Tally next = new EmailStats.Tally();
        next.count(journey, "entered");
        next.addTo(stats, "demo", DAY);
        assertThat(stats.read("demo", DAY, DAY).stream().filter(r -> r.key().equals(journey)).findFirst().orElseThrow().counts())
                .isEqualTo(Map.of("entered", 2L, "completed", 1L));
    }
}
