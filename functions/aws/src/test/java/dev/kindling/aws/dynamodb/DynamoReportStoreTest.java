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

    /**
     * A session's counts ride on its ledger's write (one conditional put, where a transaction of the ledger and the shop's
     * day billed both twice), and the table's stream shows them once per write: TableStream reads them from the record as
     * Lambda hands it over, and a batch's counts go in together.
     */
    @Test
    void countsOnALedgersWriteReachTheDayFromItsStreamRecordInOneAddition() {
        LocalDate day = LocalDate.parse("2026-11-20");
        var session = new ReportStore.Delta("shop", day, Map.of("sessions", BigDecimal.ONE));
        var before = table.meter().snapshot();
        assertThat(reports.commit("counting", "c-1", 0, dev.kindling.report.Ledger.EMPTY, List.of(), List.of(session))).isTrue();
        var wrote = table.meter().snapshot().minus(before);
        assertThat(wrote.writeRequests()).as("the ledger alone").isEqualTo(1);
        assertThat(wrote.billedWriteUnits()).isEqualTo(1);
        assertThat(reports.days("counting", "shop", day, day)).as("not counted until its stream record is").isEmpty();
        assertThat(reports.commit("counting", "c-1", 0, dev.kindling.report.Ledger.EMPTY, List.of(), List.of(session)))
                .as("a second writer of the same version decides nothing").isFalse();

        var item = table.get("S#counting#C#c-1", DynamoReportStore.LEDGER_SK, true);
        var record = dev.kindling.json.Json.object().put("eventName", "INSERT").put("eventSource", "aws:dynamodb");
        var keys = record.putObject("dynamodb").putObject("Keys");
        keys.putObject("pk").put("S", "S#counting#C#c-1");
        keys.putObject("sk").put("S", DynamoReportStore.LEDGER_SK);
        ((com.fasterxml.jackson.databind.node.ObjectNode) record.get("dynamodb")).putObject("NewImage")
                .putObject(DynamoReportStore.COUNTED).put("S", item.get(DynamoReportStore.COUNTED).s());
        var batch = dev.kindling.json.Json.object();
        batch.putArray("Records").add(record).add(record.deepCopy().put("eventName", "MODIFY"));
        assertThat(TableStream.isBatch(batch)).isTrue();
        TableStream.Batch read = TableStream.read(batch);
        assertThat(read.ledgerCounts().get("counting")).as("once per write").hasSize(2);
        reports.addTogether(read.ledgerCounts());
        assertThat(reports.days("counting", "shop", day, day).getFirst().amounts().get("sessions")).isEqualByComparingTo("2");
    }
}
