package dev.kindling.bench;

import dev.kindling.aws.dynamodb.CapacityMeter;
import dev.kindling.aws.dynamodb.DynamoContactStore;
import dev.kindling.aws.dynamodb.KindlingTable;
import dev.kindling.aws.dynamodb.MeteredTable;
import dev.kindling.contact.ContactStore;
import dev.kindling.contact.InMemoryContactStore;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.Router;
import dev.kindling.ingest.IngestApi;
import dev.kindling.ingest.Ingestor;
import dev.kindling.json.Json;
import dev.kindling.local.EmbeddedDynamo;
import dev.kindling.local.ShopsFile;
import dev.kindling.ratelimit.SignUpLimits;
import dev.kindling.shop.ShopDirectory;
import dev.kindling.shop.Signatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ingest benchmarks, one thread:
 * 1. in-process compute (signature, parse, map, identity resolution, profile update) over an in-memory store,
 *    side by side in each round with plain Jackson parsing of the same bodies (the floor);
 * 2. the same mix through DynamoDB Local;
 * 3. DynamoDB requests and capacity units per event type, and the AWS cost per million events that follows.
 *
 * <p>Run: {@code bin/bench} (see docs/benchmarks.md).
 */
public final class IngestBenchmark {
    // On-demand prices, us-east-1 (per million): DynamoDB write/read request units, EventBridge custom events,
    // HTTP API requests, Lambda requests; Lambda arm64 per GB-second.
    static final double WRU = 0.625, RRU = 0.125, EVENTBRIDGE = 1.00, HTTP_API = 1.00, LAMBDA_REQUESTS = 0.20;
    static final double LAMBDA_ARM_GB_SECOND = 0.0000133334;

    enum Kind { SHOPIFY_ORDER, SHOPIFY_CHECKOUT, WOO_ORDER, TRACK_ANONYMOUS, IDENTIFY }

    record Request(Kind kind, HttpRequest http) {}

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path events = Path.of(args.length > 2 ? args[2] : "events/payloads");
        Payloads payloads = new Payloads(events);

        System.out.printf("# Ingest benchmark: %d requests a round, %d rounds, one thread, %s%n", perRound, rounds, Runtime.version());
        List<Request> warm = payloads.mix(0, perRound);
        inProcess(warm);
        floor(warm);

        double[] ours = new double[rounds];
        double[] jackson = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            List<Request> mix = payloads.mix((r + 1) * 1_000_000, perRound);
            jackson[r] = floor(mix);
            ours[r] = inProcess(mix);
            ratio[r] = jackson[r] / ours[r];
        }
        System.out.printf("in-process ingest     events/s  median %,.0f  (min %,.0f  max %,.0f)%n", median(ours), min(ours), max(ours));
        System.out.printf("Jackson parse (floor) events/s  median %,.0f  (min %,.0f  max %,.0f)%n", median(jackson), min(jackson), max(jackson));
        System.out.printf("floor / ours ratio              median %.1f   (min %.1f  max %.1f)%n", median(ratio), min(ratio), max(ratio));
        System.out.printf("in-process cost per event       median %.1f µs%n", 1e6 / median(ours));

        try (EmbeddedDynamo dynamo = EmbeddedDynamo.inMemory()) {
            KindlingTable.create(dynamo.client(), "kindling");
            MeteredTable table = new MeteredTable(dynamo.client(), "kindling");
            DynamoContactStore store = new DynamoContactStore(table, Clock.systemUTC(), Duration.ofDays(400));
            // as deployed, the ingest's own writes (the stored events are counted from the table's stream, in batches)
            Router router = router(store);
            List<Request> dynamoMix = payloads.mix(50_000_000, Math.max(1000, perRound / 10));
            dynamoMix.subList(0, 500).forEach(r -> router.handle(r.http())); // warm-up
            double[] rates = new double[3];
            for (int r = 0; r < rates.length; r++) {
                List<Request> mix = payloads.mix(60_000_000 + r * 1_000_000, Math.max(1000, perRound / 10));
                long start = System.nanoTime();
                mix.forEach(q -> router.handle(q.http()));
                rates[r] = mix.size() / ((System.nanoTime() - start) / 1e9);
            }
            System.out.printf("through DynamoDB Local events/s  median %,.0f  (min %,.0f  max %,.0f)%n", median(rates), min(rates), max(rates));

            System.out.println();
            System.out.println("| event type (1 request in 5 is a new person) | requests (R+W) | units DynamoDB Local reports (R / W) | units AWS bills (RRU / WRU) |");
            System.out.println("|---|---|---|---|");
            double billedR = 0, billedW = 0;
            for (Kind kind : Kind.values()) {
                List<Request> only = payloads.only(kind, 70_000_000 + kind.ordinal() * 100_000, 200);
                CapacityMeter.Snapshot before = table.meter().snapshot();
                only.forEach(q -> router.handle(q.http()));
                CapacityMeter.Snapshot used = table.meter().snapshot().minus(before);
                int n = only.size();
                System.out.printf("| %s | %.1f + %.1f | %.2f / %.2f | %.2f / %.2f |%n", kind, (double) used.readRequests() / n,
                        (double) used.writeRequests() / n, used.readUnits() / n, used.writeUnits() / n,
                        (double) used.billedReadUnits() / n, (double) used.billedWriteUnits() / n);
                billedR += (double) used.billedReadUnits() / n / Kind.values().length;
                billedW += (double) used.billedWriteUnits() / n / Kind.values().length;
            }
            double dynamoCost = billedR * RRU + billedW * WRU;
            double lambdaSeconds = 0.030; // assumed warm duration per event: 4 sequential AWS round trips (see docs)
            double lambdaCost = LAMBDA_REQUESTS + 1e6 * lambdaSeconds * 1.0 * LAMBDA_ARM_GB_SECOND;
            System.out.println();
            System.out.printf("AWS cost per million ingested events (mix average): DynamoDB $%.2f (%.2f RRU + %.2f WRU per event), "
                            + "EventBridge $%.2f, HTTP API $%.2f, Lambda $%.2f (1 GB, %.0f ms assumed) = $%.2f%n",
                    dynamoCost, billedR, billedW, EVENTBRIDGE, HTTP_API, lambdaCost, lambdaSeconds * 1000,
                    dynamoCost + EVENTBRIDGE + HTTP_API + lambdaCost);
        }
    }

    static Router router(ContactStore store) {
        // sign-ups are not limited here: the benchmark measures ingest, not the sign-up counters
        SignUpLimits unlimited = new SignUpLimits((shopId, key, limit, window, now) -> true);
        return new Router(new IngestApi(ShopDirectory.of(List.of(ShopsFile.DEMO)), new Ingestor(store, e -> { }), unlimited,
                Clock.systemUTC()).routes());
    }

    static double inProcess(List<Request> mix) {
        Router router = router(new InMemoryContactStore());
        long start = System.nanoTime();
        for (Request r : mix) {
            int status = router.handle(r.http()).status();
            if (status != 200) throw new IllegalStateException(r.kind() + " answered " + status);
        }
        return mix.size() / ((System.nanoTime() - start) / 1e9);
    }

    static double floor(List<Request> mix) throws Exception {
        long start = System.nanoTime();
        long sink = 0;
        for (Request r : mix) sink += Json.MAPPER.readTree(r.http().body()).size();
        if (sink == 42) System.out.print("");
        return mix.size() / ((System.nanoTime() - start) / 1e9);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double min(double[] v) { return Arrays.stream(v).min().orElse(0); }

    static double max(double[] v) { return Arrays.stream(v).max().orElse(0); }

    /** The sample payloads with fresh ids per request, signed as the shops sign them. */
    static final class Payloads {
        final String order, checkout, woo, track, identify;

        Payloads(Path folder) throws Exception {
            order = Files.readString(folder.resolve("shopify-orders-create.json"));
            checkout = Files.readString(folder.resolve("shopify-checkouts-create.json"));
            woo = Files.readString(folder.resolve("woocommerce-order-created.json"));
            track = Files.readString(folder.resolve("tracking-track.json"));
            identify = Files.readString(folder.resolve("tracking-identify.json"));
        }

        List<Request> mix(int base, int n) {
            List<Request> requests = new ArrayList<>(n);
            for (int i = 0; i < n; i++) requests.add(request(Kind.values()[i % Kind.values().length], base + i));
            return requests;
        }

        List<Request> only(Kind kind, int base, int n) {
            List<Request> requests = new ArrayList<>(n);
            for (int i = 0; i < n; i++) requests.add(request(kind, base + i));
            return requests;
        }

        /** Person {@code i / 5}: the five kinds in a row are one person's visit, checkout, orders and sign-in. */
        Request request(Kind kind, int i) {
            int person = i / Kind.values().length;
            String email = "p" + person + "@example.com";
            return switch (kind) {
                case SHOPIFY_ORDER -> shopify("orders/create", "o-" + i, order.replace("jon@example.com", email)
                        .replace("820982911946154508", String.valueOf(9_000_000_000L + i))
                        .replace("115310627314723954", String.valueOf(7_000_000_000L + person)));
                // each its own checkout (id and token): a checkout is one occurrence per id and update time, and the same one
                // again is a repeat the ingest answers without storing
                case SHOPIFY_CHECKOUT -> shopify("checkouts/create", "k-" + i, checkout.replace("anne@example.com", email)
                        .replace("981820079255243537", String.valueOf(8_000_000_000L + i)).replace("\"123123123\"", "\"tok-" + i + "\"")
                        .replace("eeafa272cebfd4b22385bc4b645e762c", "cart-" + person).replace("603851970716743426", String.valueOf(7_000_000_000L + person)));
                case WOO_ORDER -> woo("w-" + i, woo.replace("marie@example.com", email).replace("\"id\": 727", "\"id\": " + i)
                        .replace("\"customer_id\": 26", "\"customer_id\": " + (7_000_000_000L + person)));
                case TRACK_ANONYMOUS -> tracking("track", track.replace("507f191e810c19729de860ea", "anon-" + person)
                        .replace("ajs-next-1732180000000-7b5c1c4a", "t-" + i));
                case IDENTIFY -> tracking("identify", identify.replace("507f191e810c19729de860ea", "anon-" + person)
                        .replace("Grace@Example.com", email).replace("u-4471", String.valueOf(7_000_000_000L + person))
                        .replace("ajs-next-1732180060000-0f3e2d1c", "i-" + i));
            };
        }

        static Request shopify(String topic, String id, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("x-shopify-topic", topic);
            headers.put("x-shopify-webhook-id", id);
            headers.put("x-shopify-hmac-sha256", Signatures.hmacSha256Base64("demo-shopify-secret", bytes));
            return new Request(topic.startsWith("orders") ? Kind.SHOPIFY_ORDER : Kind.SHOPIFY_CHECKOUT,
                    new HttpRequest(IngestApi.SHOPIFY_ROUTE, "/webhooks/shopify/demo", Map.of("shopId", "demo"), Map.of(), headers, bytes, null));
        }

        static Request woo(String id, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return new Request(Kind.WOO_ORDER, new HttpRequest(IngestApi.WOOCOMMERCE_ROUTE, "/webhooks/woocommerce/demo",
                    Map.of("shopId", "demo"), Map.of(), Map.of("x-wc-webhook-topic", "order.created", "x-wc-webhook-delivery-id", id,
                    "x-wc-webhook-signature", Signatures.hmacSha256Base64("demo-woo-secret", bytes)), bytes, null));
        }

        static Request tracking(String type, String body) {
            String basic = "Basic " + Base64.getEncoder().encodeToString("demo-write-key:".getBytes(StandardCharsets.UTF_8));
            return new Request(type.equals("track") ? Kind.TRACK_ANONYMOUS : Kind.IDENTIFY, new HttpRequest(IngestApi.TRACKING_ROUTE,
                    "/v1/" + type, Map.of("type", type), Map.of(), Map.of("authorization", basic), body.getBytes(StandardCharsets.UTF_8), null));
        }
    }
}
