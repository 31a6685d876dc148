package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.audience.ContactScan;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.ingest.Ingestor;
import dev.kindling.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A scan an admin call waits for stops when its time is up and says how much of the shop it read: contact ids are
 * random UUIDs listed in id order per shard, so where each shard stopped gives the share read, and a count over that
 * share estimates the whole. Against DynamoDB Local, with 1,600 contacts (ids from a seeded generator, so the run is
 * the same every time) of whom every other one is in New Zealand; the scan is stopped by count, not by time.
 */
class DynamoContactScanTest {
    static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");
    static final int CONTACTS = 1_600;
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static DynamoContactScan scan;

    @BeforeAll
    static void start() {
        MeteredTable table = db.table();
        Random random = new Random(26);
        Ingestor ingestor = new Ingestor(new DynamoContactStore(table, Clock.fixed(AT, ZoneOffset.UTC), Duration.ofDays(400)), events -> { },
                () -> new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L, random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L).toString());
        for (int i = 0; i < CONTACTS; i++) {
            var traits = Json.object();
            traits.putObject("address").put("country", i % 2 == 0 ? "NZ" : "DE");
            ingestor.ingest("demo", "tracking:id-" + i, new CanonicalEvent("id-" + i, EventType.IDENTIFY, null, "user-" + i, null, null, null,
                    Json.object(), traits, null, null, AT, AT, Source.SERVER, Map.of()));
        }
        scan = new DynamoContactScan(table, new DynamoScoreStore(table), new DynamoMembershipStore(table));
    }

    @Test
    void aWholeScanReadsEveryContactAndSaysSo() {
        AtomicLong read = new AtomicLong();
        ContactScan.Coverage coverage = scan.scanUntil("demo", () -> false, c -> read.incrementAndGet());
        assertThat(read).hasValue(CONTACTS);
        assertThat(coverage.complete()).isTrue();
        assertThat(coverage.fraction()).isEqualTo(1.0);
        assertThat(coverage.estimate(800)).isEqualTo(800);
    }

    @Test
    void aScanStoppedEarlySaysWhatShareItReadAndEstimatesTheWholeFromIt() {
        AtomicLong read = new AtomicLong(), inNewZealand = new AtomicLong();
        // each shard stops after it has read about a quarter of its 100 contacts
        ContactScan.Coverage coverage = scan.scanUntil("demo", () -> read.get() >= CONTACTS / 4, c -> {
            read.incrementAndGet();
            if ("NZ".equals(c.contact().traits().country())) inNewZealand.incrementAndGet();
        });
        assertThat(coverage.complete()).isFalse();
        assertThat(read.get()).isBetween(400L, 400L + 16);
        assertThat(coverage.fraction()).as("share read, from where each shard stopped").isCloseTo(read.get() / (double) CONTACTS, within(0.05));
        assertThat(coverage.estimate(inNewZealand.get())).as("the 800 in New Zealand, estimated").isBetween(700L, 900L);
    }
}
