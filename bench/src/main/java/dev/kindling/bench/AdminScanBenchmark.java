package dev.kindling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.admin.AudienceAdminApi;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.ingest.Ingestor;
import dev.kindling.json.Json;
import dev.kindling.local.LocalRuntime;
import dev.kindling.segment.SegmentParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 26's admin calls on a large shop: a segment preview and a contact search over N contacts (200,000 by
 * default) in the local runtime, through its HTTP API as the dashboard calls them, each answering within
 * {@link AudienceAdminApi#SCAN_BUDGET} with what it read (and an estimate) instead of scanning to the end; beside them,
 * the same preview read to the end in process, for the ratio.
 *
 * <pre>bin/bench-admin-scan [contacts (200000)] [rounds (3)]</pre>
 *
 * The contacts are loaded into DynamoDB Local in memory (about 10 minutes for 200,000 here; on disk, in a data
 * folder, it is several times slower).
 */
public final class AdminScanBenchmark {
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, Clock.systemUTC()))) {
            load(runtime, count);
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + runtime.port();
            String segment = "{\"name\": \"New Zealand\", \"condition\": {\"trait\": \"country\", \"op\": \"equals\", \"value\": \"NZ\"}}";
            System.out.printf("## Admin calls over %,d contacts (2 cores, DynamoDB Local in process), %d rounds%n", count, rounds);
            for (int round = 1; round <= rounds; round++) {
                time(http, HttpRequest.newBuilder(URI.create(base + "/admin/segments/preview")).POST(HttpRequest.BodyPublishers.ofString(segment))
                        .header("Content-Type", "application/json"), "POST /admin/segments/preview (country NZ, 1 in 4)", round);
                time(http, HttpRequest.newBuilder(URI.create(base + "/admin/contacts?q=smith")), "GET /admin/contacts?q=smith (part of a name)", round);
                time(http, HttpRequest.newBuilder(URI.create(base + "/admin/contacts?q=buyer-" + (count / 2) + "@example.com")),
                        "GET /admin/contacts?q=<a whole address>", round);
            }
            var definition = SegmentParser.parse(SegmentParser.yamlTree(segment.replace("\"name\": \"New Zealand\", ", "\"id\": \"nz\", ")));
            long t0 = System.nanoTime();
            var whole = runtime.services().segmentRefresh().preview("demo", definition, 10, () -> false);
            System.out.printf("the same preview read to the end, in process: %,d of %,d match, %.1f s%n", whole.count(), whole.contacts(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    static void time(HttpClient http, HttpRequest.Builder request, String what, int round) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer demo-admin-token").build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode body = Json.read(response.body(), JsonNode.class);
        String read = body.has("count") ? String.format("%,d of %,d read match (about %,d), complete %s", body.path("count").asLong(),
                body.path("contacts").asLong(), body.path("about").asLong(body.path("count").asLong()), body.path("complete").asBoolean())
                : String.format("%d found among %,d read, complete %s", body.path("contacts").size(), body.path("scanned").asLong(),
                body.path("complete").asBoolean());
        System.out.printf("round %d  %-52s %d  %5.2f s  %s%n", round, what, response.statusCode(), seconds, read);
    }

    /** N customers through the ingestor (4 threads): a name, an address, and every fourth in New Zealand. */
    static void load(LocalRuntime runtime, int count) throws Exception {
        Ingestor ingestor = new Ingestor(runtime.services().contacts(), events -> { });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger done = new AtomicInteger();
        Instant at = Instant.now();
        String[] last = {"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright"};
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int n = i;
            pool.execute(() -> {
                ObjectNode traits = Json.object().put("first_name", "Buyer" + n).put("last_name", last[n % last.length] + (n % 997));
                traits.putObject("address").put("country", n % 4 == 0 ? "NZ" : "AU");
                String email = "buyer-" + n + "@example.com";
                ingestor.ingest("demo", "tracking:load-" + n, new CanonicalEvent("load-" + n, EventType.IDENTIFY, null, "u-" + n, null, email, null,
                        Json.object(), traits, null, null, at, at, Source.SERVER, Map.of()));
                done.incrementAndGet();
            });
        }
        pool.shutdown();
        pool.awaitTermination(3, TimeUnit.HOURS);
        System.out.printf("loaded %,d contacts in %.0f s%n", done.get(), (System.nanoTime() - t0) / 1e9);
    }
}
