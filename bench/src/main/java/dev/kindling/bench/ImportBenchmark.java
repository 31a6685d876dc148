package dev.kindling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.kindling.aws.dynamodb.KindlingTable;
import dev.kindling.imports.ImportFormat;
import dev.kindling.imports.ImportItem;
import dev.kindling.imports.ImportReader;
import dev.kindling.imports.ImportStatus;
import dev.kindling.ingest.ImportedEvents;
import dev.kindling.local.DemoShop;
import dev.kindling.local.EmbeddedDynamo;
import dev.kindling.local.LocalRuntime;
import dev.kindling.local.SettableClock;
import dev.kindling.local.ShopHistory;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Imports of a shop's history ({@code bin/bench-import}, docs/benchmarks.md "Imports"):
 * 1. in process, without a database: Shopify's customer and order CSV exports read and mapped to canonical events
 *    (ImportReader, ImportedEvents), rows per second, side by side in each round with plain jackson-csv parsing of the
 *    same bytes (the floor);
 * 2. through the local runtime and DynamoDB Local: the same files imported (customers, then orders), rows per second as
 *    the import's status gives it, then the time until the bus is quiet (scores, stages, segments, reports, catalog), and
 *    the DynamoDB requests and units billed per row, to the import and to what the bus did after it;
 * 3. DynamoDB Local's own ceiling on this machine, side by side: 1 KB PutItems from four threads into a fresh in-memory
 *    instance, requests per second, and what that bounds an import at, given the requests each row takes.
 */
public final class ImportBenchmark {
    private ImportBenchmark() {}

    public static void main(String[] args) throws Exception {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Instant end = Instant.parse("2026-12-01T00:00:00Z");
        // the demo's mix (a quarter buyers, 60 days of 25 visits a day) at this many customers: customers, orders and visits
        ShopHistory history = new ShopHistory(customers, DemoShop.HISTORY.subscribedShare(), DemoShop.HISTORY.buyerShare(),
                DemoShop.HISTORY.visitsPerDay() * customers / DemoShop.HISTORY.customers(), DemoShop.HISTORY.days(), 7);
        ShopHistory.Files files = history.generate(end);
        System.out.printf("# Import benchmark: %,d customers (%,d KB), %,d orders (%,d KB), %,d tracked events (%,d KB), %s%n", files.customerRows(),
                files.customersCsv().length / 1024, files.orders(), files.ordersCsv().length / 1024, files.visitEvents(), files.visitsJsonl().length / 1024,
                Runtime.version());

        double[] ours = new double[rounds], floor = new double[rounds];
        inProcess(files);
        parseOnly(files);
        for (int r = 0; r < rounds; r++) {
            ours[r] = inProcess(files);
            floor[r] = parseOnly(files);
            System.out.printf("round %d  in process %,8.0f rows/s   jackson-csv alone %,8.0f rows/s   floor/ours %.1f×%n", r + 1, ours[r], floor[r],
                    floor[r] / ours[r]);
        }
        System.out.printf("in process: median %,.0f rows/s (min %,.0f, max %,.0f); jackson-csv alone median %,.0f rows/s%n", median(ours),
                Arrays.stream(ours).min().orElse(0), Arrays.stream(ours).max().orElse(0), median(floor));

        SettableClock clock = new SettableClock(end.plus(Duration.ofHours(12)));
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock))) {
            var table = runtime.services().table().meter();
            var before = table.snapshot();
            long t0 = System.nanoTime();
            ImportStatus c = DemoShop.imported(runtime, ImportFormat.SHOPIFY_CUSTOMERS_CSV, files.customersCsv());
            double customersSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            ImportStatus o = DemoShop.imported(runtime, ImportFormat.SHOPIFY_ORDERS_CSV, files.ordersCsv());
            double ordersSeconds = (System.nanoTime() - t1) / 1e9;
            long t3 = System.nanoTime();
            ImportStatus v = DemoShop.imported(runtime, ImportFormat.SEGMENT_JSONL, files.visitsJsonl());
            double visitsSeconds = (System.nanoTime() - t3) / 1e9;
            System.out.printf("visits (Segment JSONL): %,d read, %,d imported in %.1f s = %,.0f rows/s%n", v.tally().read(), v.tally().imported(),
                    visitsSeconds, v.tally().read() / visitsSeconds);
            var afterImport = table.snapshot();
            long t2 = System.nanoTime();
            boolean quiet = runtime.bus().awaitQuiet(Duration.ofMinutes(30));
            double busSeconds = (System.nanoTime() - t2) / 1e9;
            var afterBus = table.snapshot();
            long rows = c.tally().read() + o.tally().read() + v.tally().read();
            System.out.printf("DynamoDB Local: customers %,d read, %,d imported in %.1f s = %,.0f rows/s; orders %,d read, %,d imported in %.1f s = %,.0f rows/s%n",
                    c.tally().read(), c.tally().imported(), customersSeconds, c.tally().read() / customersSeconds,
                    o.tally().read(), o.tally().imported(), ordersSeconds, o.tally().read() / ordersSeconds);
            System.out.printf("then the bus (scores, segments, reports, catalog) quiet %s after %.1f s more: %,.0f rows/s end to end%n", quiet,
                    busSeconds, rows / (customersSeconds + ordersSeconds + visitsSeconds + busSeconds));
            var importing = afterImport.minus(before);
            var downstream = afterBus.minus(afterImport);
            System.out.printf("per row, the import: %.2f requests, %.2f RRU + %.2f WRU billed; what the bus did after it: %.2f requests, %.2f RRU + %.2f WRU%n",
                    importing.requests() / (double) rows, importing.billedReadUnits() / rows, importing.billedWriteUnits() / rows,
                    downstream.requests() / (double) rows, downstream.billedReadUnits() / rows, downstream.billedWriteUnits() / rows);
            runtime.usage().functions().forEach((function, use) -> System.out.printf("  %-24s %,8d invocations %,10d ms (%.1f ms each)%n", function,
                    use.invocations(), use.billedMillis(), use.millisPerInvocation()));
            runtime.bus().puts().forEach((source, n) -> System.out.printf("  bus entries from %-20s %,8d (%.2f a row)%n", source, n, n / (double) rows));
            Map<String, double[]> owners = table.billedByOwner();
            owners.forEach((owner, units) -> System.out.printf("  billed to %-24s %,12.0f RRU %,12.0f WRU%n", owner, units[0], units[1]));
            double ceiling = dynamoCeiling();
            double perRow = afterBus.minus(before).requests() / (double) rows;
            System.out.printf("DynamoDB Local alone: %,.0f PutItem/s (1 KB, 4 threads); at %.1f requests a row (the import and the bus) that bounds an"
                    + " import at %,.0f rows/s here%n", ceiling, perRow, ceiling / perRow);
        }
    }

    /** DynamoDB Local's ceiling here: 1 KB PutItems from four threads for three seconds into a fresh in-memory instance; requests/s. */
    static double dynamoCeiling() throws Exception {
        try (EmbeddedDynamo dynamo = EmbeddedDynamo.inMemory()) {
            KindlingTable.create(dynamo.client(), "ceiling");
            String payload = "x".repeat(1000);
            LongAdder puts = new LongAdder();
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.execute(() -> {
                    for (int i = 0; System.nanoTime() < until; i++) {
                        var item = Map.of("pk", AttributeValue.fromS("bench#" + thread), "sk", AttributeValue.fromS(Integer.toString(i)),
                                "payload", AttributeValue.fromS(payload));
                        dynamo.client().putItem(b -> b.tableName("ceiling").item(item));
                        puts.increment();
                    }
                });
            }
            threads.shutdown();
            threads.awaitTermination(1, TimeUnit.MINUTES);
            return puts.sum() / 3.0;
        }
    }

    /** Rows per second read and mapped to canonical events, customers and orders. */
    static double inProcess(ShopHistory.Files files) {
        long t0 = System.nanoTime();
        int rows = 0;
        Instant at = Instant.now();
        for (var f : List.of(Map.entry(ImportFormat.SHOPIFY_CUSTOMERS_CSV, files.customersCsv()), Map.entry(ImportFormat.SHOPIFY_ORDERS_CSV, files.ordersCsv()))) {
            ImportReader reader = ImportReader.open(f.getKey(), new ByteArrayInputStream(f.getValue()));
            while (reader.hasNext()) {
                ImportItem item = reader.next();
                var event = f.getKey() == ImportFormat.SHOPIFY_CUSTOMERS_CSV
                        ? ImportedEvents.shopifyCustomerCsv("bench", item.line(), item.row(), at)
                        : ImportedEvents.shopifyOrderCsv("bench", item.line(), item.row(), at);
                if (event.event() == null) throw new IllegalStateException();
                rows++;
            }
        }
        return rows / ((System.nanoTime() - t0) / 1e9);
    }

    /** The floor: the same bytes parsed into rows by jackson-csv, nothing else. */
    static double parseOnly(ShopHistory.Files files) throws Exception {
        long t0 = System.nanoTime();
        int rows = 0;
        CsvMapper csv = new CsvMapper();
        for (byte[] bytes : List.of(files.customersCsv(), files.ordersCsv())) {
            try (var it = csv.readerFor(ObjectNode.class).with(CsvSchema.emptySchema().withHeader()).<JsonNode>readValues(bytes)) {
                while (it.hasNextValue()) {
                    it.nextValue();
                    rows++;
                }
            }
        }
        // the order export's rows are line items: count orders as the import does, so both sides count the same rows
        return rows / ((System.nanoTime() - t0) / 1e9) * ((double) (files.customerRows() + files.orders()) / rows);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
