package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.audience.ContactScan;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.event.Stored;
import dev.kindling.ingest.Ingestor;
import dev.kindling.json.Json;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.ScoreSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The scores item out of the contacts index and its summary in it, against DynamoDB Local: a write with its summary is
 * two single writes (and a stop between them is mended by the next read), one without writes the scores alone (a unit,
 * no index copy); a scan hands out the summary and reads the scores only when asked; a scores item written before
 * summaries is still read whole from the index; and the refresh's summary never replaces one written with later scores.
 */
class DynamoScoreStoreTest {
    static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static MeteredTable table;
    static DynamoScoreStore scores;
    static DynamoContactScan scan;
    static Ingestor ingestor;

    @BeforeAll
    static void start() {
        table = db.table();
        scores = new DynamoScoreStore(table);
        scan = new DynamoContactScan(table, scores, new DynamoMembershipStore(table));
    }

    /** A profile in its own shop, so a scan of that shop finds this contact alone. */
    static void profile(String shop, String contactId) {
        new Ingestor(new DynamoContactStore(table, Clock.fixed(AT, ZoneOffset.UTC), Duration.ofDays(400)), events -> { }, () -> contactId)
                .ingest(shop, "tracking:id-" + shop, new CanonicalEvent("id-" + shop, EventType.IDENTIFY, null, "user-" + shop, null, null, null,
                        Json.object(), Json.object(), null, null, AT, AT, Source.SERVER, Map.of()));
    }

    static ScoreState scored(double engagement, String stage) {
        return new ScoreState(Map.of("engagement", new ScoreState.GroupScore(engagement, AT)), Map.of(), stage, List.of(), List.of());
    }

    static List<ContactScan.ScannedContact> scanned(String shop) {
        List<ContactScan.ScannedContact> all = new ArrayList<>();
        scan.scanAll(shop, all::add);
        return all;
    }

    @Test
    void theScoresAreReadFromTheTableOnlyWhenAskedAndTheirSummaryFromTheIndex() {
        profile("s1", "c-1");
        ScoreSummary summary = new ScoreSummary("interest", AT.plus(Duration.ofDays(3)), "~basis");
        assertThat(scores.commit("s1", "c-1", scored(12, "interest").withIndexed(summary), 0, List.of(), true)).isTrue();
        var before = table.meter().snapshot();
        assertThat(scores.commit("s1", "c-1", scored(14, "interest").withIndexed(summary), 1, List.of(), false)).isTrue();
        assertThat(table.meter().snapshot().minus(before).billedWriteUnits()).as("the scores alone, out of the index").isEqualTo(1.0);

        List<ContactScan.ScannedContact> found = scanned("s1");
        assertThat(found).hasSize(1);
        assertThat(found.getFirst().summary()).isEqualTo(summary);
        assertThat(found.getFirst().stage()).isEqualTo("interest");
        before = table.meter().snapshot();
        Stored<ScoreState> read = found.getFirst().scores().get();
        assertThat(table.meter().snapshot().minus(before).readRequests()).as("one read, when asked").isEqualTo(1);
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.value().groups().get("engagement").points()).isEqualTo(14.0);
    }

    @Test
    void aWriteWithItsSummaryIsTwoSingleWritesNotATransaction() {
        profile("s4", "c-4");
        var before = table.meter().snapshot();
        ScoreSummary summary = new ScoreSummary("interest", AT.plus(Duration.ofDays(3)), "~basis");
        assertThat(scores.commit("s4", "c-4", scored(12, "interest").withIndexed(summary), 0, List.of(), true)).isTrue();
        var used = table.meter().snapshot().minus(before);
        assertThat(used.writeRequests()).isEqualTo(2);
        assertThat(used.billedWriteUnits()).as("the scores, the summary and its copy in the index, each once").isEqualTo(3.0);
        assertThat(scanned("s4").getFirst().summary()).isEqualTo(summary);
        assertThat(scores.commit("s4", "c-4", scored(11, "interest").withIndexed(summary), 0, List.of(), true))
                .as("a write at a version another took").isFalse();
    }

    @Test
    void aStopBetweenTheScoresAndTheirSummaryIsMendedByTheNextReadOfTheScores() {
        profile("s5", "c-5");
        ScoreSummary first = new ScoreSummary("interest", AT.plus(Duration.ofDays(3)), "~basis");
        ScoreSummary sooner = new ScoreSummary("interest", AT.plus(Duration.ofHours(2)), "~basis");
        assertThat(scores.commit("s5", "c-5", scored(12, "interest").withIndexed(first), 0, List.of(), true)).isTrue();
        assertThat(scores.commit("s5", "c-5", scored(6, "interest").withIndexed(sooner), 1, List.of(), true)).isTrue();
        // what a stop after the scores' write and before the summary's leaves: the index's summary of the first version
        table.put(DynamoScoreStore.summaryItem("s5", "c-5", first, 1));
        assertThat(scanned("s5").getFirst().summary()).isEqualTo(first);

        // the retry (or any later call) reads the scores first
        Stored<ScoreState> read = scores.scores("s5", "c-5");
        assertThat(read.version()).isEqualTo(2);
        assertThat(scanned("s5").getFirst().summary()).as("mended: a crossing sooner than the index said").isEqualTo(sooner);

        var before = table.meter().snapshot();
        scores.scores("s5", "c-5");
        assertThat(table.meter().snapshot().minus(before).writeRequests()).as("found there, nothing written again").isZero();

        // the next write of the scores alone leaves the mark behind: a read is one get again
        assertThat(scores.commit("s5", "c-5", scored(7, "interest").withIndexed(sooner), 2, List.of(), false)).isTrue();
        before = table.meter().snapshot();
        scores.scores("s5", "c-5");
        assertThat(table.meter().snapshot().minus(before).readRequests()).isEqualTo(1);
    }

    @Test
    void aScoresItemWrittenBeforeSummariesIsReadWholeFromTheIndex() {
        profile("s2", "c-2");
        Map<String, AttributeValue> before = MeteredTable.key(KindlingTable.contactPk("s2", "c-2"), DynamoScoreStore.SK);
        before.put("version", AttributeValue.fromN("4"));
        before.put("state", GzippedJson.of(scored(30, "purchase")));
        KindlingTable.indexContact(before, "s2", "c-2", DynamoScoreStore.SK);
        table.put(before);

        ContactScan.ScannedContact found = scanned("s2").getFirst();
        assertThat(found.summary()).as("none yet").isNull();
        var meter = table.meter().snapshot();
        assertThat(found.stage()).isEqualTo("purchase");
        assertThat(found.scores().get().version()).isEqualTo(4);
        assertThat(table.meter().snapshot().minus(meter).readRequests()).as("nothing more read").isZero();
    }

    @Test
    void theRefreshsSummaryNeverReplacesOneWrittenWithLaterScores() {
        profile("s3", "c-3");
        ScoreSummary first = new ScoreSummary("interest", AT.plus(Duration.ofHours(1)), "~basis");
        assertThat(scores.commit("s3", "c-3", scored(12, "interest").withIndexed(first), 0, List.of(), true)).isTrue();
        Stored<ScoreState> readByTheRefresh = scores.scores("s3", "c-3");

        // an event takes points away meanwhile, and puts a sooner crossing into the index with its scores
        ScoreSummary sooner = new ScoreSummary("interest", AT.plus(Duration.ofMinutes(30)), "~basis");
        assertThat(scores.commit("s3", "c-3", scored(6, "interest").withIndexed(sooner), 1, List.of(), true)).isTrue();
        scores.summarize("s3", "c-3", readByTheRefresh, new ScoreSummary("interest", AT.plus(Duration.ofDays(2)), "~basis"));
        assertThat(scanned("s3").getFirst().summary()).isEqualTo(sooner);

        // read again, the refresh's summary goes in, and the scores say so
        Stored<ScoreState> current = scores.scores("s3", "c-3");
        ScoreSummary later = new ScoreSummary("interest", AT.plus(Duration.ofDays(1)), "~basis");
        scores.summarize("s3", "c-3", current, later);
        assertThat(scanned("s3").getFirst().summary()).isEqualTo(later);
        assertThat(scores.scores("s3", "c-3").value().indexed()).isEqualTo(later);
    }
}
