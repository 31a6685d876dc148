package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.ingest.Ingestor;
import dev.kindling.json.Json;
import dev.kindling.privacy.PersonalData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shopify's shop/redact on a shop too large for one invocation: each call erases pages until it is told to stop, and
 * the next goes on from the cursor the last one left, until nothing of the shop is left but its audit log. Another
 * shop in the same table is untouched. Against DynamoDB Local; stopped by page count, not by time.
 */
class DynamoShopErasureTest {
    static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static MeteredTable table;

    @BeforeAll
    static void start() {
        table = db.table();
    }

    static void customers(String shop, int count) {
        Ingestor ingestor = new Ingestor(new DynamoContactStore(table, Clock.fixed(AT, ZoneOffset.UTC), Duration.ofDays(400)), events -> { });
        var entries = new DynamoJourneyEntries(table);
        for (int i = 0; i < count; i++) {
            var outcome = ingestor.ingest(shop, "tracking:" + i, new CanonicalEvent("m-" + i, EventType.IDENTIFY, null, "u-" + i, null,
                    "p" + i + "@example.com", null, Json.object(), Json.object().put("first_name", "P" + i), null, null, AT, AT, Source.SERVER, Map.of()));
            if (i % 100 == 0) entries.running(shop, outcome.contactId(), "welcome", shop + "-welcome-" + i, AT);
        }
        new DynamoAuditLog(table).record(shop, "export", "contact-sha256:x", "test", AT);
    }

    static List<String> partitions(String shop) {
        List<String> pks = new ArrayList<>();
        table.scan("S#" + shop + "#", page -> page.forEach(item -> pks.add(item.get("pk").s())));
        return pks;
    }

    @Test
    void aLargeShopIsErasedOverSeveralCallsEachGoingOnWhereTheLastStopped() {
        customers("gone", 700);
        customers("kept", 30);
        int keptBefore = partitions("kept").size();
        int before = partitions("gone").size();
        assertThat(before).as("profiles, events, identities, delivery markers, executions").isGreaterThan(2_500);

        var data = new DynamoPersonalData(table, Clock.fixed(AT, ZoneOffset.UTC));
        List<PersonalData.Execution> stopped = new ArrayList<>();
        int calls = 0, erased = 0;
        PersonalData.ShopErasure pass;
        do {
            calls++;
            AtomicInteger pages = new AtomicInteger();
            // each call is stopped after two pages: an invocation whose time ran out
            pass = data.eraseShop("gone", () -> pages.getAndIncrement() >= 2, stopped::add);
            erased += pass.erased();
        } while (!pass.done() && calls < 50);

        assertThat(pass.done()).isTrue();
        assertThat(calls).as("no call started over").isBetween(2, before / DynamoPersonalData.REDACT_PAGE + DynamoPersonalData.REDACT_SEGMENTS + 1);
        assertThat(erased).isEqualTo(before - 1); // all but the audit entry
        assertThat(partitions("gone")).as("the audit log stays, and the cursor is gone").containsOnly(KindlingTable.shopPk("gone", "AUDIT"));
        assertThat(stopped).extracting(PersonalData.Execution::name).hasSize(7).allMatch(name -> name.startsWith("gone-welcome-"));
        assertThat(partitions("kept")).as("another shop's items").hasSize(keptBefore);
    }
}
