package dev.kindling.bench;

import dev.kindling.aws.dynamodb.CapacityMeter;
import dev.kindling.clv.ClvModel;
import dev.kindling.clv.ClvModels;
import dev.kindling.audience.ClvRefresh;
import dev.kindling.clv.Customer;
import dev.kindling.clv.GammaGamma;
import dev.kindling.clv.MbgNbd;
import dev.kindling.clv.SyntheticCustomers;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.handler.Services;
import dev.kindling.json.Json;
import dev.kindling.local.LocalRuntime;
import dev.kindling.report.ReportCounting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Issue 15's figures beside the month: (1) attribution throughput — orders credited per second through
 * ReportCounting over DynamoDB Local, each buyer with three email touches (their ledger read, the credits
 * computed, ledger and day aggregates written in one transaction), one thread and eight; (2) the lifetime-value
 * fit for 100,000 customers (median and spread of 5 fits) and its calibration on customers drawn with known
 * parameters: the next year's predicted orders and spend over what the customers then did, in all and by decile
 * of predicted spend.
 *
 * <pre>bin/bench-reports [orders (4000)] [customers (100000)]</pre>
 */
public final class ReportBenchmark {
    private ReportBenchmark() {}

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int customers = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        attribution(orders);
        clv(customers);
        System.exit(0);
    }

    static void attribution(int orders) throws Exception {
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, Clock.systemUTC()))) {
            Services s = runtime.services();
            Instant now = Instant.now();
            CampaignBenchmark.seed(s, "reader", orders, now.minus(Duration.ofDays(3)));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                ids.add(s.contacts().lookup("demo", List.of(dev.kindling.contact.Identity.email("reader" + i + "@example.com"))).values().iterator().next());
            }
            ReportCounting counting = s.reportCounting();
            for (int i = 0; i < orders; i++) {
                for (int k = 0; k < 3; k++) {
                    var p = Json.object().put("message_id", "m-" + i + "-" + k).put("campaign", "bench").put("step", "run" + k).put("template", "newsletter");
                    counting.event("demo", ids.get(i), event("t-" + i + "-" + k, "Email Link Clicked", Source.KINDLING, p, now.minus(Duration.ofHours(30 - 8 * k))));
                }
            }
            for (int threads : new int[] {1, 8}) {
                int half = orders / 2, offset = threads == 1 ? 0 : half;
                CapacityMeter.Snapshot before = s.table().meter().snapshot();
                long t0 = System.nanoTime();
                var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (int i = offset; i < offset + half; i++) {
                    int n = i;
                    done.add(pool.submit(() -> counting.event("demo", ids.get(n), event("o-" + n, "Order Completed", Source.SHOPIFY,
                            Json.object().put("order_id", "bench-" + n).put("total", "80.00"), now))));
                }
                for (var f : done) f.get();
                pool.shutdown();
                double seconds = (System.nanoTime() - t0) / 1e9;
                CapacityMeter.Snapshot used = s.table().meter().snapshot().minus(before);
                System.out.printf("attribution, %d thread(s): %,d orders in %.2f s = %,.0f orders/s; per order %.2f RRU, %.2f WRU billed%n",
                        threads, half, seconds, half / seconds, used.billedReadUnits() / half, used.billedWriteUnits() / half);
            }
        }
    }

    static CanonicalEvent event(String id, String name, Source source, com.fasterxml.jackson.databind.node.ObjectNode properties, Instant at) {
        return new CanonicalEvent(id, EventType.TRACK, name, null, null, null, null, properties, null, null, null, at, at, source, Map.of());
    }

    static void clv(int n) {
        MbgNbd trueF = new MbgNbd(0.6, 9, 1.8, 5);
        GammaGamma trueV = new GammaGamma(5, 3.5, 30);
        List<SyntheticCustomers.Drawn> drawn = SyntheticCustomers.draw(trueF, trueV, n, 52, 42);
        List<Customer> customers = drawn.stream().map(SyntheticCustomers.Drawn::calibration).toList();
        double[] millis = new double[5];
        ClvModels.Fitted fitted = null;
        for (int i = 0; i < millis.length; i++) {
            fitted = ClvRefresh.fit(customers, Instant.EPOCH);
            millis[i] = fitted.fitMillis();
        }
        Arrays.sort(millis);
        ClvModel model = fitted.model();
        System.out.printf("%nCLV fit, %,d customers: median %.0f ms (min %.0f, max %.0f, 5 fits)%n", n, millis[2], millis[0], millis[4]);
        System.out.printf("true:   r %.3f α %.3f a %.3f b %.3f | p %.3f q %.3f γ %.3f%n", trueF.r(), trueF.alpha(), trueF.a(), trueF.b(), trueV.p(), trueV.q(), trueV.gamma());
        System.out.printf("fitted: r %.3f α %.3f a %.3f b %.3f | p %.3f q %.3f γ %.3f%n", model.frequency().r(), model.frequency().alpha(),
                model.frequency().a(), model.frequency().b(), model.value().p(), model.value().q(), model.value().gamma());
        double[][] byDecile = new double[10][4];
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        double[] predictedSpend = new double[n], predictedOrders = new double[n];
        for (int i = 0; i < n; i++) {
            ClvModel.Prediction p = model.predict(drawn.get(i).calibration());
            predictedSpend[i] = p.predictedClv();
            predictedOrders[i] = p.expectedOrders();
        }
        Arrays.sort(order, (a, b) -> Double.compare(predictedSpend[a], predictedSpend[b]));
        double po = 0, ao = 0, ps = 0, as = 0;
        for (int rank = 0; rank < n; rank++) {
            int i = order[rank];
            double[] d = byDecile[rank * 10 / n];
            d[0] += predictedOrders[i];
            d[1] += drawn.get(i).holdoutOrders();
            d[2] += predictedSpend[i];
            d[3] += drawn.get(i).holdoutSpend();
            po += predictedOrders[i];
            ao += drawn.get(i).holdoutOrders();
            ps += predictedSpend[i];
            as += drawn.get(i).holdoutSpend();
        }
        System.out.printf("next year, all customers: orders predicted/actual %.3f (%,.0f / %,.0f), spend predicted/actual %.3f%n", po / ao, po, ao, ps / as);
        System.out.printf("%n| decile of predicted spend | orders predicted | orders actual | spend predicted | spend actual |%n|---:|---:|---:|---:|---:|%n");
        for (int d = 0; d < 10; d++) {
            System.out.printf("| %d | %,.0f | %,.0f | %,.0f | %,.0f |%n", d + 1, byDecile[d][0], byDecile[d][1], byDecile[d][2], byDecile[d][3]);
        }
    }

}
