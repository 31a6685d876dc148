package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.catalog.Product;
import dev.kindling.catalog.RecentCatalog;
import dev.kindling.catalog.Recommendations;
import dev.kindling.event.Trust;
import dev.kindling.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The send path's catalog against DynamoDB Local: read once a minute, however many emails show it. */
class RecentCatalogTest {
    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static MeteredTable table;

    @BeforeAll
    static void start() {
        table = db.table();
    }

    static Product product(String id, String price) {
        return new Product(id, "Mug " + id, price, null, "https://shop.example/" + id, "mugs", List.of("ceramic"), 0, null);
    }

    /**
     * A campaign's recipients, one after another within a minute, ask the catalog the same: the first reads it, the
     * rest read nothing. A change made meanwhile shows once the minute is over, and a product the catalog does not know
     * is not asked for again either.
     */
    @Test
    void theSecondEmailOfAMinuteReadsNothingAndAChangeShowsAfterIt() {
        MovableClock clock = new MovableClock(T0);
        DynamoCatalog stored = new DynamoCatalog(table, clock);
        stored.recordOrder("shop-a", "o-1", List.of(product("p-1", "12.00"), product("p-2", "15.00")), Map.of());
        stored.recordOrder("shop-a", "o-2", List.of(product("p-2", "15.00"), product("p-3", "9.00")), Map.of());
        RecentCatalog recent = new RecentCatalog(stored, clock);
        Recommendations recommendations = new Recommendations(recent);

        CapacityMeter.Snapshot before = table.meter().snapshot();
        List<Product> first = recommendations.recommend("shop-a", List.of("p-1", "p-404"), Set.of(), 4);
        List<Product> newest = recent.newSince("shop-a", T0.minus(Duration.ofDays(7)), 4);
        CapacityMeter.Snapshot firstEmail = table.meter().snapshot().minus(before);
        assertThat(first).extracting(Product::id).contains("p-2", "p-3");
        assertThat(newest).extracting(Product::id).containsExactlyInAnyOrder("p-1", "p-2", "p-3");
        assertThat(firstEmail.readRequests()).as("the first email reads the catalog").isPositive();

        CapacityMeter.Snapshot mark = table.meter().snapshot();
        for (int recipient = 0; recipient < 50; recipient++) {
            clock.now = T0.plusSeconds(recipient);
            assertThat(recommendations.recommend("shop-a", List.of("p-1", "p-404"), Set.of(), 4)).isEqualTo(first);
            assertThat(recent.newSince("shop-a", T0.minus(Duration.ofDays(7)), 4)).isEqualTo(newest);
        }
        assertThat(table.meter().snapshot().minus(mark).readRequests()).as("50 more emails within the minute").isZero();

        assertThat(recent.products("shop-a", List.of("p-3", "p-2"))).hasSize(2);
        stored.recordSeen("shop-a", List.of(product("p-3", "7.50")), Trust.AUTHORITY);
        assertThat(recent.products("shop-a", List.of("p-3", "p-2")).values()).as("in the order asked, as read a minute ago")
                .extracting(Product::id, Product::price).containsExactly(org.assertj.core.groups.Tuple.tuple("p-3", "9.00"),
                        org.assertj.core.groups.Tuple.tuple("p-2", "15.00"));
        clock.now = T0.plusSeconds(49).plus(Duration.ofMinutes(1));
        mark = table.meter().snapshot();
        assertThat(recent.products("shop-a", List.of("p-3")).get("p-3").price()).as("the minute over: read again").isEqualTo("7.50");
        assertThat(table.meter().snapshot().minus(mark).readRequests()).isPositive();
    }
}
