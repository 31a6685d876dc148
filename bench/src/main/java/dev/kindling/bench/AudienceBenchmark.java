package dev.kindling.bench;

import static dev.kindling.bench.IngestBenchmark.max;
import static dev.kindling.bench.IngestBenchmark.median;
import static dev.kindling.bench.IngestBenchmark.min;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.dynamodb.CapacityMeter;
import dev.kindling.contact.Commerce;
import dev.kindling.contact.Contact;
import dev.kindling.contact.Traits;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.ingest.Ingestor;
import dev.kindling.json.Json;
import dev.kindling.local.LocalRuntime;
import dev.kindling.local.SettableClock;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.Scorer;
import dev.kindling.scoring.ScoringModel;
import dev.kindling.segment.ContactChange;
import dev.kindling.segment.Evaluator;
import dev.kindling.segment.Facts;
import dev.kindling.segment.SegmentDefinition;
import dev.kindling.segment.SegmentIndex;
import dev.kindling.segment.SegmentParser;
import dev.kindling.shop.Signatures;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;

/**
 * Issue 3's figures: scoring plus real-time segment evaluation per event with 50 segments (vs
 * evaluating all 50), batch evaluation of 1,000,000 contacts in memory vs PostgreSQL running the
 * same conditions as SQL over the same rows, DynamoDB capacity of a full refresh, and webhook to
 * segment.entered latency through the local runtime.
 *
 * <pre>bin/bench-audience [contacts-in-memory] [contacts-in-dynamodb] [postgres-jdbc-url]</pre>
 */
public final class AudienceBenchmark {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String[] COUNTRIES = {"NZ", "AU", "GB", "US", "DE", "FR", "NL", "SE", "JP", "CA"};
    static final String[] ZONES = {"Pacific/Auckland", "Australia/Sydney", "Europe/London", "America/New_York", "America/Los_Angeles"};

    public static void main(String[] args) throws Exception {
        int memoryContacts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int dynamoContacts = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        String jdbc = args.length > 2 ? args[2] : null;
        perEvent();
        batch(memoryContacts, jdbc);
        refresh(dynamoContacts);
        latency(1000);
    }

    // ---------------------------------------------------------------- per event, 50 segments

    static List<SegmentDefinition> fiftySegments() {
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            conditions.add("{trait: country, op: equals, value: " + COUNTRIES[i] + "}");
            conditions.add("{event: Product Viewed, count: {min: " + (i + 2) + "}, within: {days: 7}}");
            conditions.add("{all: [{event: Checkout Started, within: {hours: " + (24 * (i + 1)) + "}}, {event: Order Completed, performed: false, afterLast: Checkout Started}]}");
            conditions.add("{metric: total_spent, op: gte, value: " + (100 * (i + 1)) + "}");
            conditions.add("{metric: days_since_last_order, op: gte, value: " + (30 * (i + 1)) + "}");
            conditions.add("{score: intent, op: gte, value: " + (10 * (i + 1)) + "}");
            conditions.add("{score: engagement, op: gte, value: " + (5 * (i + 1)) + "}");
            conditions.add("{stage: [intent, evaluation]}");
            conditions.add("{anniversary: birthday, inDays: " + i + "}");
            conditions.add("{all: [{inSegment: s" + (i * 10) + "}, {bucket: {salt: holdout" + i + ", from: 0, to: 10}}]}");
        }
        List<SegmentDefinition> segments = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            segments.add(SegmentParser.fromYaml("id: s" + i + "\ncondition: " + conditions.get(i)));
        }
        return segments;
    }

    static CanonicalEvent track(String id, String name, Instant at) {
        return new CanonicalEvent(id, EventType.TRACK, name, "u-1", null, null, null, Json.object().put("product_id", "p-1"),
                null, null, null, at, at, Source.TRACKING, Map.of());
    }

    static void perEvent() {
        SegmentIndex index = new SegmentIndex(fiftySegments());
        ScoringModel model = ScoringModel.defaults();
        Contact contact = contact(1, new Random(1));
        String[] names = {"Page Viewed", "Product Viewed", "Product Viewed", "Product Added", "Checkout Started", "Order Completed", "Email Opened"};
        List<CanonicalEvent> history = new ArrayList<>();
        for (int i = 0; i < 50; i++) history.addFirst(track("h" + i, names[i % names.length], NOW.minus(Duration.ofHours(50 - i))));
        int n = 20_000, rounds = 5;
        double[] ours = new double[rounds], all = new double[rounds], ratio = new double[rounds];
        long[] evaluated = new long[1];
        for (int r = -1; r < rounds; r++) { // round -1 warms up
            long t0 = System.nanoTime();
            run(n, r, index, model, contact, history, names, false, evaluated);
            long t1 = System.nanoTime();
            long before = evaluated[0];
            run(n, r, index, model, contact, history, names, true, evaluated);
            long t2 = System.nanoTime();
            if (r < 0) { evaluated[0] = 0; continue; }
            ours[r] = (t1 - t0) / 1e3 / n;
            all[r] = (t2 - t1) / 1e3 / n;
            ratio[r] = all[r] / ours[r];
        }
        System.out.println("## Scoring + real-time segment evaluation, 50 segments, one thread");
        System.out.printf("indexed (ours)      µs/event  median %.2f  (min %.2f  max %.2f)%n", median(ours), min(ours), max(ours));
        System.out.printf("all 50 every event  µs/event  median %.2f  (min %.2f  max %.2f)%n", median(all), min(all), max(all));
        System.out.printf("all / indexed ratio           median %.1f   (min %.1f  max %.1f)%n", median(ratio), min(ratio), max(ratio));
    }

    /** Scores n events and evaluates the segments each can affect (or, as the baseline, all of them). */
    static void run(int n, int round, SegmentIndex index, ScoringModel model, Contact contact, List<CanonicalEvent> history,
                    String[] names, boolean everySegment, long[] evaluated) {
        ScoreState state = ScoreState.EMPTY;
        Set<String> in = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Instant at = NOW.plusSeconds(i);
            CanonicalEvent event = track("e" + round + "-" + i, names[i % names.length], at);
            List<CanonicalEvent> events = new ArrayList<>(history.size() + 1);
            events.add(event);
            events.addAll(history);
            Scorer.Result result = Scorer.apply(model, state, contact, event, events, at);
            state = result.state();
            List<SegmentDefinition> which = everySegment ? index.all()
                    : index.affectedBy(new ContactChange(event.event(), Set.of(), false, result.changed().keySet(), !result.stageChanges().isEmpty(), false));
            if (which.isEmpty()) continue;
            Facts facts = new Facts(contact, state.pointsAt(model, at), state.stage(), in, events, at);
            for (SegmentDefinition s : which) {
                if (Evaluator.matches(s.condition(), facts)) in.add(s.id()); else in.remove(s.id());
                evaluated[0]++;
            }
        }
    }

    // ---------------------------------------------------------------- batch: 1M contacts, ours vs PostgreSQL

    static final String[] BATCH_SEGMENTS = {
            "{trait: country, op: equals, value: NZ}",
            "{all: [{metric: total_spent, op: gte, value: 200}, {metric: orders, op: gte, value: 2}]}",
            "{all: [{metric: orders, op: gte, value: 1}, {metric: days_since_last_order, op: gte, value: 90}]}",
            "{score: intent, op: gte, value: 20}",
            "{all: [{event: Checkout Started, within: {hours: 24}}, {event: Order Completed, performed: false, afterLast: Checkout Started}]}",
            "{event: Product Viewed, count: {min: 2}, within: {days: 7}}",
            "{anniversary: birthday}",
    };

    /** The same conditions as SQL; {@code :now} is the evaluation instant. */
    static final String[] BATCH_SQL = {
            "SELECT count(*) FROM contacts WHERE country = 'NZ'",
            "SELECT count(*) FROM contacts WHERE total_spent >= 200 AND orders >= 2",
            "SELECT count(*) FROM contacts WHERE orders >= 1 AND floor(extract(epoch FROM (:now - last_order_at)) / 86400) >= 90",
            "SELECT count(*) FROM contacts WHERE intent >= 20",
            "SELECT count(*) FROM contacts c WHERE EXISTS (SELECT 1 FROM events e WHERE e.contact_id = c.id AND e.name = 'Checkout Started'"
                    + " AND e.at >= :now - interval '24 hours' AND e.at <= :now) AND NOT EXISTS (SELECT 1 FROM events o WHERE o.contact_id = c.id"
                    + " AND o.name = 'Order Completed' AND o.at > (SELECT max(x.at) FROM events x WHERE x.contact_id = c.id AND x.name = 'Checkout Started'))",
            "SELECT count(*) FROM contacts c WHERE (SELECT count(*) FROM events e WHERE e.contact_id = c.id AND e.name = 'Product Viewed'"
                    + " AND e.at >= :now - interval '7 days' AND e.at <= :now) >= 2",
            "SELECT count(*) FROM contacts WHERE to_char(birthday, 'MM-DD') = to_char((:now AT TIME ZONE tz)::date, 'MM-DD')",
    };

    record Synthetic(Contact contact, double intent, List<CanonicalEvent> events) {}

    static Contact contact(int i, Random random) {
        LocalDate birthday = LocalDate.of(1960 + random.nextInt(45), 1 + random.nextInt(12), 1 + random.nextInt(28));
        int orders = random.nextInt(5);
        BigDecimal spent = BigDecimal.valueOf(orders * (20 + random.nextInt(150)));
        Instant lastOrder = orders == 0 ? null : NOW.minus(Duration.ofHours(1 + random.nextInt(24 * 200)));
        Commerce commerce = orders == 0 ? Commerce.NONE : new Commerce(orders, spent,
                spent.divide(BigDecimal.valueOf(orders), 2, java.math.RoundingMode.HALF_UP), "EUR", lastOrder.minus(Duration.ofDays(30)),
                lastOrder, Map.of(), Map.of(), Map.of());
        Traits traits = new Traits("First" + i, "Last", null, birthday.toString(), ZONES[random.nextInt(ZONES.length)], null,
                COUNTRIES[random.nextInt(COUNTRIES.length)], null);
        Contact c = Contact.create("bench", "c" + i);
        return new Contact("bench", c.contactId(), 1, "u" + i, "p" + i + "@example.com", List.of(), traits, Map.of(), commerce,
                NOW.minus(Duration.ofDays(300)), NOW, List.of(), null);
    }

    static List<Synthetic> synthetic(int count) {
        Random random = new Random(42);
        String[] names = {"Checkout Started", "Order Completed", "Product Viewed", "Product Viewed"};
        List<Synthetic> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Contact contact = contact(i, random);
            int n = random.nextInt(4);
            List<CanonicalEvent> events = new ArrayList<>(n);
            for (int e = 0; e < n; e++) {
                Instant at = NOW.minus(Duration.ofMinutes(random.nextInt(60 * 24 * 10)));
                events.add(new CanonicalEvent("m" + i + "-" + e, EventType.TRACK, names[random.nextInt(names.length)], null, null, null,
                        null, null, null, null, null, at, at, Source.TRACKING, Map.of()));
            }
            events.sort((a, b) -> b.timestamp().compareTo(a.timestamp()));
            all.add(new Synthetic(contact, random.nextInt(40), events));
        }
        return all;
    }

    static void batch(int count, String jdbc) throws Exception {
        List<SegmentDefinition> segments = new ArrayList<>();
        for (int i = 0; i < BATCH_SEGMENTS.length; i++) segments.add(SegmentParser.fromYaml("id: b" + i + "\ncondition: " + BATCH_SEGMENTS[i]));
        List<Synthetic> contacts = synthetic(count);
        System.out.println();
        System.out.printf("## Batch evaluation of %,d synthetic contacts, %d segments, one thread%n", count, segments.size());
        long[] ours = new long[segments.size()];
        double[] oursRate = new double[3];
        for (int r = -1; r < oursRate.length; r++) {
            Arrays.fill(ours, 0);
            long t0 = System.nanoTime();
            for (Synthetic s : contacts) {
                Facts facts = new Facts(s.contact(), Map.of("intent", s.intent()), null, Set.of(), s.events(), NOW);
                for (int i = 0; i < segments.size(); i++) if (Evaluator.matches(segments.get(i).condition(), facts)) ours[i]++;
            }
            if (r >= 0) oursRate[r] = count / ((System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("ours (in memory)  contacts/s (all %d segments)  median %,.0f  (min %,.0f  max %,.0f)%n", segments.size(),
                median(oursRate), min(oursRate), max(oursRate));
        System.out.println("members per segment (ours): " + Arrays.toString(ours));
        if (jdbc == null) {
            System.out.println("PostgreSQL: skipped (no JDBC URL given; bin/bench-audience starts one)");
            return;
        }
        try (Connection pg = DriverManager.getConnection(jdbc)) {
            load(pg, contacts);
            contacts = null; // the rows are in PostgreSQL now; let the heap go
            long[] theirs = new long[BATCH_SQL.length];
            double[] pgRate = new double[3];
            try (Statement st = pg.createStatement()) {
                st.execute("SET max_parallel_workers_per_gather = 0"); // one core, as ours
                for (int r = -1; r < pgRate.length; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < BATCH_SQL.length; i++) {
                        try (ResultSet rs = st.executeQuery(BATCH_SQL[i].replace(":now", "timestamptz '" + NOW + "'"))) {
                            rs.next();
                            theirs[i] = rs.getLong(1);
                        }
                    }
                    if (r >= 0) pgRate[r] = count / ((System.nanoTime() - t0) / 1e9);
                }
            }
            System.out.printf("PostgreSQL        contacts/s (all %d queries)   median %,.0f  (min %,.0f  max %,.0f)%n", BATCH_SQL.length,
                    median(pgRate), min(pgRate), max(pgRate));
            System.out.println("members per segment (PostgreSQL): " + Arrays.toString(theirs));
            System.out.println("same answers: " + Arrays.equals(ours, theirs));
            double[] ratio = new double[3];
            for (int i = 0; i < 3; i++) ratio[i] = oursRate[i] / pgRate[i];
            System.out.printf("ours / PostgreSQL ratio  median %.1f  (min %.1f  max %.1f; rounds paired in order)%n", median(ratio), min(ratio), max(ratio));
        }
    }

    static void load(Connection pg, List<Synthetic> contacts) throws Exception {
        try (Statement st = pg.createStatement()) {
            st.execute("DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS contacts");
            st.execute("CREATE TABLE contacts (id int PRIMARY KEY, country text, total_spent numeric, orders int, last_order_at timestamptz,"
                    + " intent float8, birthday date, tz text)");
            st.execute("CREATE TABLE events (contact_id int, name text, at timestamptz)");
        }
        var copy = pg.unwrap(PGConnection.class).getCopyAPI();
        StringBuilder c = new StringBuilder(), e = new StringBuilder();
        for (int i = 0; i < contacts.size(); i++) {
            Synthetic s = contacts.get(i);
            var k = s.contact();
            c.append(i).append('\t').append(k.traits().country()).append('\t').append(k.commerce().totalSpent()).append('\t')
                    .append(k.commerce().orders()).append('\t').append(k.commerce().lastOrderAt() == null ? "\\N" : k.commerce().lastOrderAt())
                    .append('\t').append(s.intent()).append('\t').append(k.traits().birthday()).append('\t').append(k.traits().timeZone()).append('\n');
            for (CanonicalEvent ev : s.events()) e.append(i).append('\t').append(ev.event()).append('\t').append(ev.timestamp()).append('\n');
        }
        copy.copyIn("COPY contacts FROM STDIN", new java.io.StringReader(c.toString()));
        copy.copyIn("COPY events FROM STDIN", new java.io.StringReader(e.toString()));
        try (Statement st = pg.createStatement()) {
            st.execute("CREATE INDEX events_by_contact ON events (contact_id, name, at)");
            st.execute("VACUUM ANALYZE contacts");
            st.execute("VACUUM ANALYZE events");
        }
    }

    // ---------------------------------------------------------------- refresh through DynamoDB Local

    static void refresh(int count) throws Exception {
        System.out.println();
        System.out.printf("## Full refresh of %,d contacts through DynamoDB Local (capacity as AWS bills it on demand)%n", count);
        Instant start = Instant.parse("2026-11-21T12:00:00Z");
        SettableClock clock = new SettableClock(start);
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock))) {
            var s = runtime.services();
            var settings = s.settings().store();
            settings.putSegment("demo", "birthday-today", SegmentParser.yamlTree("id: birthday-today\ncondition: {anniversary: birthday}"), 0);
            settings.putSegment("demo", "abandoned-checkout", SegmentParser.yamlTree("id: abandoned-checkout\ncondition: " + BATCH_SEGMENTS[4]), 1);
            settings.putSegment("demo", "lapsing", SegmentParser.yamlTree("id: lapsing\ncondition: " + BATCH_SEGMENTS[2]), 2);
            Ingestor ingestor = new Ingestor(s.contacts(), events -> { });
            ExecutorService pool = Executors.newFixedThreadPool(4);
            AtomicInteger done = new AtomicInteger();
            Random random = new Random(7);
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                Contact c = contact(i, random);
                int n = i;
                pool.execute(() -> {
                    ObjectNode traits = Json.object().put("email", c.email()).put("birthday", c.traits().birthday())
                            .put("timezone", c.traits().timeZone()).put("country", c.traits().country());
                    CanonicalEvent identify = new CanonicalEvent("id-" + n, EventType.IDENTIFY, null, c.userId(), null, c.email(), null,
                            Json.object(), traits, null, null, start, start, Source.TRACKING, Map.of());
                    var outcome = (Ingestor.Outcome.Accepted) ingestor.ingest("demo", "tracking:id-" + n, identify);
                    s.scoreUpdate().apply("demo", outcome.contactId(), identify);
                    done.incrementAndGet();
                });
            }
            pool.shutdown();
            pool.awaitTermination(2, TimeUnit.HOURS);
            System.out.printf("loaded %,d contacts (identify + scoring) in %.0f s%n", done.get(), (System.nanoTime() - t0) / 1e9);
            runtime.bus().awaitQuiet(Duration.ofMinutes(5));

            // a day later every contact was seen within the stage rules' 14 days (their events are read); a month later none was
            for (Duration later : List.of(Duration.ofDays(1), Duration.ofDays(30))) {
                clock.set(start.plus(later));
                CapacityMeter.Snapshot before = s.table().meter().snapshot();
                long r0 = System.nanoTime();
                var report = s.segmentRefresh().refresh("demo");
                double seconds = (System.nanoTime() - r0) / 1e9;
                CapacityMeter.Snapshot used = s.table().meter().snapshot().minus(before);
                System.out.printf("refresh %d days after the contacts were last seen: %s in %.1f s (%,.0f contacts/s, 16 shards on 2 cores)%n",
                        later.toDays(), report, seconds, count / seconds);
                System.out.printf("  requests: %,d reads, %,d writes; billed: %,.0f RRU, %,.0f WRU (%.3f RRU and %.4f WRU per contact)%n",
                        used.readRequests(), used.writeRequests(), used.billedReadUnits(), used.billedWriteUnits(),
                        used.billedReadUnits() / count, used.billedWriteUnits() / count);
                runtime.bus().awaitQuiet(Duration.ofMinutes(5));
            }
        }
    }

    // ---------------------------------------------------------------- webhook to segment.entered

    static void latency(int n) throws Exception {
        System.out.println();
        System.out.printf("## Webhook POST to segment.entered on the local bus, %d checkouts, one at a time%n", n);
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, Clock.systemUTC()))) {
            runtime.services().settings().store().putSegment("demo", "abandoned-checkout",
                    SegmentParser.yamlTree("id: abandoned-checkout\ncondition: " + BATCH_SEGMENTS[4]), 0);
            Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
            runtime.bus().listen(e -> {
                if (e.path("detail-type").asText().equals("segment.entered")) {
                    CountDownLatch latch = waiting.get(e.path("detail").path("email").asText());
                    if (latch != null) latch.countDown();
                }
            });
            java.util.concurrent.atomic.LongAdder busEvents = new java.util.concurrent.atomic.LongAdder();
            runtime.bus().listen(e -> busEvents.increment());
            CapacityMeter.Snapshot before = null;
            Map<String, Long> invokedBefore = null;
            long eventsBefore = 0;
            HttpClient http = HttpClient.newHttpClient();
            String template = Files.readString(Path.of("events/payloads/shopify-checkouts-create.json"));
            double[] ms = new double[n];
            for (int i = -50; i < n; i++) { // 50 to warm up
                if (i == 0) {
                    runtime.bus().awaitQuiet(Duration.ofSeconds(30));
                    before = runtime.services().table().meter().snapshot();
                    invokedBefore = runtime.bus().invocations();
                    eventsBefore = busEvents.sum();
                }
                String email = "lat" + (i + 50) + "@example.com";
                ObjectNode checkout = (ObjectNode) Json.MAPPER.readTree(template);
                String now = Instant.now().toString();
                checkout.put("token", "lat-" + (i + 50)).put("cart_token", "cart-lat-" + (i + 50)).put("email", email)
                        .put("created_at", now).put("updated_at", now);
                ((ObjectNode) checkout.get("customer")).put("id", 5_000_000 + i + 50).put("email", email);
                byte[] body = Json.write(checkout).getBytes(StandardCharsets.UTF_8);
                CountDownLatch entered = new CountDownLatch(1);
                waiting.put(email, entered);
                long t0 = System.nanoTime();
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + "/webhooks/shopify/demo"))
                        .header("Content-Type", "application/json").header("X-Shopify-Topic", "checkouts/create")
                        .header("X-Shopify-Webhook-Id", "lat-" + i).header("X-Shopify-Hmac-Sha256", Signatures.hmacSha256Base64("demo-shopify-secret", body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200 || !entered.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("no segment.entered for " + email);
                if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
                runtime.bus().awaitQuiet(Duration.ofSeconds(30));
            }
            Arrays.sort(ms);
            System.out.printf("latency ms  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", ms[n / 2], ms[(int) (n * 0.9)], ms[(int) (n * 0.99)], ms[n - 1]);
            CapacityMeter.Snapshot used = runtime.services().table().meter().snapshot().minus(before);
            Map<String, Long> invoked = runtime.bus().invocations();
            System.out.printf("per checkout webhook (ingest, scoring, segments): %.2f RRU, %.2f WRU billed; %.2f bus events%n",
                    used.billedReadUnits() / n, used.billedWriteUnits() / n, (double) (busEvents.sum() - eventsBefore) / n);
            for (var f : invoked.entrySet()) {
                System.out.printf("  %s invocations per webhook: %.2f%n", f.getKey(), (double) (f.getValue() - invokedBefore.getOrDefault(f.getKey(), 0L)) / n);
            }
        }
    }
}
