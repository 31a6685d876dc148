package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.report.ReportStore;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reports' daily aggregates against DynamoDB Local: what a year's range costs to read. */
class DynamoReportStoreTest {
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static MeteredTable table;
    static DynamoReportStore reports;

    @BeforeAll
    static void start() {
        table = db.table();
        reports = new DynamoReportStore(table);
    }

    /**
     * A busy shop's year of the {@code shop} group, 80 counters a day (orders, revenue, sessions, carts, NPS, three
     * attribution models, every stage's entries and the moves between them, events, tiers …), spread over its shards: a
     * Query of each shard and of the group's own items, a few tens of read units in all; so a year's report needs no
     * monthly roll-up (which would add a write to every counted event).
     */
    @Test
    void aYearOfABusyShopsDailyItemsIsAFewTensOfReadUnits() {
        LocalDate first = LocalDate.parse("2025-12-01");
        for (int d = 0; d < 365; d++) {
            Map<String, BigDecimal> day = new TreeMap<>();
            for (int c = 0; c < 80; c++) day.put("counter_name_" + c, BigDecimal.valueOf(12_345.6789 + c));
            reports.add("busy", new ReportStore.Delta("shop", first.plusDays(d), day));
        }
        var before = table.meter().snapshot();
        List<ReportStore.Row> year = reports.days("busy", "shop", first, first.plusDays(364));
        var read = table.meter().snapshot().minus(before);
        System.out.printf("a year of the shop group, 80 counters a day: %d rows in %d request(s), %.1f RRU billed%n", year.size(),
                read.readRequests(), read.billedReadUnits());
        assertThat(year).hasSize(365);
        assertThat(year.getFirst().amounts()).hasSize(80);
        assertThat(year.getFirst().amounts().get("counter_name_0")).as("each day whole, its shards summed").isEqualByComparingTo("12345.6789");
        assertThat(read.billedReadUnits()).as("a few tens of read units").isLessThan(100);
    }
}
