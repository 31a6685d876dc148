package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.aws.dynamodb.DynamoContactStore;
import dev.kindling.aws.dynamodb.MeteredTable;
import dev.kindling.contact.Identity;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.ingest.Ingestor;
import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRuntimeOptionsTest {

    @Test
    void portComesFromPortOrTheOptionAndTheOptionWins() {
        assertThat(LocalRuntime.Options.parse(new String[0], Map.of()).port()).isEqualTo(3000);
        assertThat(LocalRuntime.Options.parse(new String[0], Map.of("PORT", "4000")).port()).isEqualTo(4000);
        assertThat(LocalRuntime.Options.parse(new String[] {"--port", "5000"}, Map.of("PORT", "4000")).port()).isEqualTo(5000);
        assertThatThrownBy(() -> LocalRuntime.Options.parse(new String[] {"--prot", "1"}, Map.of()))
                .hasMessageContaining("unknown option --prot");
        assertThatThrownBy(() -> LocalRuntime.Options.parse(new String[] {"--port"}, Map.of())).hasMessageContaining("needs a value");
    }

    @Test
    void aShopsFileAddsShopsBesideTheDemoShop(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shops.yaml");
        Files.writeString(file, """
                shops:
                  - id: acme
                    name: Acme
                    shopifySecret: acme-shopify
                    wooSecret: acme-woo
                    writeKey: acme-key
                    adminToken: acme-admin
                """);
        List<Shop> shops = ShopsFile.load(file);
        ShopDirectory directory = ShopDirectory.of(shops);
        assertThat(directory.byId("demo")).isPresent();
        assertThat(directory.byWriteKey("acme-key").map(Shop::id)).contains("acme");
        assertThat(directory.byAdminToken("acme-admin").map(a -> a.shop().id())).contains("acme");
        assertThat(directory.byAdminToken("demo-admin-token").map(a -> a.shop().id())).contains("demo");
        assertThat(directory.byAdminToken("acme-admi")).isEmpty();
        assertThat(directory.byId("acme").orElseThrow().purgeInactiveMonths()).as("retention is off unless the shop sets it").isNull();
    }

    @Test
    void aRetentionPolicyOutsideOneToTwoHundredFortyMonthsStopsTheRuntimeAtStart() {
        Shop acme = new Shop("acme", "Acme", "s", "w", "k", "a", "acme-link-secret-0123456789abcdef012345", null, null);
        for (int months : new int[] {0, -3, 241}) {
            assertThatThrownBy(() -> ShopDirectory.of(List.of(acme.withPurgeInactiveMonths(months))).size())
                    .as(months + " months").hasMessageContaining("purgeInactiveMonths must be 1 to 240");
        }
        assertThat(ShopDirectory.of(List.of(acme.withPurgeInactiveMonths(24))).byId("acme").orElseThrow().purgeInactiveMonths()).isEqualTo(24);
    }

    /** Without a data folder nothing outlives the runtime: its outbox, exports and uploads go with it (they once filled /tmp). */
    @Test
    void withoutADataFolderTheRuntimesFilesGoWhenItCloses() throws Exception {
        Path scratch;
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking()))) {
            scratch = runtime.outbox().folder().getParent();
            Files.writeString(runtime.outbox().folder().resolve("kept-until-close.eml"), "x");
            assertThat(scratch.getFileName().toString()).startsWith("kindling-runtime");
        }
        assertThat(scratch).doesNotExist();
    }

    @Test
    void aDataFolderKeepsContactsAcrossRestarts(@TempDir Path dir) throws Exception {
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        CanonicalEvent event = new CanonicalEvent("m-1", EventType.IDENTIFY, null, "u-1", null, "kept@example.com", null,
                Json.object(), null, null, null, at, at, Source.TRACKING, Map.of());
        LocalRuntime.Options options = new LocalRuntime.Options(0, dir.resolve("data"), null, Clock.systemUTC());
        try (LocalRuntime first = new LocalRuntime(options)) {
            new Ingestor(first.services().contacts(), first.bus()).ingest("demo", "tracking:m-1", event);
        }
        try (LocalRuntime second = new LocalRuntime(options)) {
            var found = second.services().contacts().lookup("demo", List.of(Identity.email("kept@example.com")));
            assertThat(found).hasSize(1);
            assertThat(new Ingestor(second.services().contacts(), second.bus()).ingest("demo", "tracking:m-1", event))
                    .isInstanceOf(Ingestor.Outcome.Duplicate.class);
        }
    }

    /**
     * What a kill leaves: the data folder as it is on disk the moment an ingest returns (so a webhook is acknowledged),
     * copied and opened as a restarted runtime opens it, holds the new person. DynamoDB Local answers a transaction before
     * its COMMIT has run ({@link AwaitedCommits}); without the wait, a copy taken then holds SQLite's journal of an open
     * transaction, which opening rolls back. Ten people, each a transaction of its own.
     */
    @Test
    void whatTheRuntimeStoredIsOnDiskWhenItAnswersSoAKillRightAfterKeepsIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        int people = 10;
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, data, null, Clock.systemUTC()))) {
            Ingestor ingestor = new Ingestor(runtime.services().contacts(), runtime.bus());
            for (int n = 0; n < people; n++) {
                Instant at = Instant.parse("2026-11-22T10:00:00Z");
                CanonicalEvent event = new CanonicalEvent("kept-" + n, EventType.IDENTIFY, null, "u-" + n, null, "kept" + n + "@example.com",
                        null, Json.object(), null, null, null, at, at, Source.TRACKING, Map.of());
                assertThat(ingestor.ingest("demo", "tracking:kept-" + n, event)).isInstanceOf(Ingestor.Outcome.Accepted.class);
                Path copy = Files.createDirectories(dir.resolve("at-the-kill-" + n));
                for (String file : List.of("kindling-local.db", "kindling-local.db-journal")) {
                    try {
                        Files.copy(data.resolve(file), copy.resolve(file));
                    } catch (NoSuchFileException noJournal) {
                        // no transaction open: nothing to roll back
                    }
                }
            }
        }
        for (int n = 0; n < people; n++) {
            try (EmbeddedDynamo restarted = EmbeddedDynamo.inFolder(dir.resolve("at-the-kill-" + n))) {
                var contacts = new DynamoContactStore(new MeteredTable(restarted.client(),
                        LocalRuntime.TABLE), Clock.systemUTC(), Duration.ofDays(400));
                assertThat(contacts.lookup("demo", List.of(Identity.email("kept" + n + "@example.com"))))
                        .as("person " + n + ", acknowledged before the copy").hasSize(1);
            }
        }
    }

    @Test
    void underSpeedTheHourlyRefreshRunsEveryFewRealMillisecondsNotEveryRealHour() throws Exception {
        // 36,000 times real time: the hourly schedule comes due every 100 ms
        LocalRuntime.Options options = LocalRuntime.Options.parse(new String[] {"--port", "0", "--speed", "36000"}, Map.of());
        try (LocalRuntime runtime = new LocalRuntime(options)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (runtime.scheduler().runs("SegmentRefreshFunction.Schedule") < 3 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(runtime.scheduler().runs("SegmentRefreshFunction.Schedule")).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aRestartOnTheSameDataFolderGoesOnFromTheClockItReachedWithOrWithoutSpeed(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Instant reached;
        LocalRuntime.Options fast = LocalRuntime.Options.parse(new String[] {"--port", "0", "--speed", "86400", "--data-dir", data.toString()}, Map.of());
        try (LocalRuntime runtime = new LocalRuntime(fast)) {
            Thread.sleep(300); // about 7 hours of runtime time
            reached = fast.clock().instant();
        }
        assertThat(reached).isAfter(Instant.now().plus(Duration.ofHours(5)));
        LocalRuntime.Options again = LocalRuntime.Options.parse(new String[] {"--port", "0", "--data-dir", data.toString()}, Map.of());
        assertThat(again.clock().instant()).as("not back to the real clock, behind what was stored").isAfterOrEqualTo(reached);
    }
}

