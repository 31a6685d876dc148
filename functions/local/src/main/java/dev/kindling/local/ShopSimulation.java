package dev.kindling.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * A synthetic shop living through skipped time in the local runtime, through the real ingest path:
 * customers (Shopify webhooks) browse, view products, cart and check out (the tracking API, as
 * analytics.js sends), order and get refunds (Shopify webhooks); the journeys and campaigns email
 * them, and SES's events about each email (sent, delivered, opened — some by Apple's privacy proxy
 * — clicked, bounced, complained) come back through the bus as SES publishes them. People who
 * click come back to the shop and buy more often, so the emails earn attributed revenue and the
 * campaign holdout a measurable lift. The mix is in {@link Mix}; the same seed is the same shop.
 */
public final class ShopSimulation implements AutoCloseable {

    /**
     * What the shop does.
     *
     * @param profiles        customers known at the start (with a past year of orders for some)
     * @param sessionsPerDay  visits a day by known customers
     * @param signupsPerDay   new subscribers a day
     * @param subscribedShare of the customers at the start, those subscribed to marketing email
     * @param pastBuyerShare  of the customers at the start, those with 1-4 orders in the past year
     * @param complaintRate   of the emails delivered, those the recipient marks as spam
     */
    public record Mix(int profiles, int sessionsPerDay, double signupsPerDay, double subscribedShare, double pastBuyerShare, double complaintRate) {
        /** The product's reference shop at 1/100: 1,000 profiles, about 30,000 events, 10,000 emails and 3,000 journey entries a month. */
        public static final Mix REFERENCE_HUNDREDTH = new Mix(1000, 150, 1.5, 0.7);

        public Mix(int profiles, int sessionsPerDay, double signupsPerDay, double subscribedShare) {
            this(profiles, sessionsPerDay, signupsPerDay, subscribedShare, 0.4, 0.0003);
        }
    }

    /** What the simulation sent in, counted. */
    public record Counts(long trackedEvents, long webhooks, long orders, long refunds, long sesEvents, long sessions, long signups) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0);

        Counts plus(Counts o) {
            return new Counts(trackedEvents + o.trackedEvents, webhooks + o.webhooks, orders + o.orders, refunds + o.refunds,
                    sesEvents + o.sesEvents, sessions + o.sessions, signups + o.signups);
        }
    }

    record Product(String id, String name, String category, String price) {}

    private record Person(long customerId, String email, String firstName, String lastName, boolean subscribed) {}

    private record Visit(Person person, boolean fromEmail) {}

    private record RefundDue(Instant at, long orderId, String amount) {}

    /** An SES event due at a time, for an email the outbox sent. */
    private record Due(Instant at, String type, LocalOutbox.Sent email, boolean machine) {}

    static final List<Product> PRODUCTS = products();
    static final String[] FIRST = {"Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam",
            "Maya", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen", "Yusuf", "Zoe"};
    static final String[] LAST = {"Archer", "Bauer", "Costa", "Dubois", "Evans", "Fischer", "García", "Hansen", "Ito", "Jensen",
            "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Quintero", "Rossi", "Silva", "Tanaka"};

    private final LocalRuntime runtime;
    private final SettableClock clock;
    private final Mix mix;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService visitors = Executors.newFixedThreadPool(8);
    private final List<Person> people = new ArrayList<>();
    private final Map<String, Person> byEmail = new HashMap<>();
    private final PriorityQueue<Due> sesDue = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    /** Who clicked an email lately: they come back within the hour, likelier to buy. */
    private final Map<Person, Instant> clickedAt = new HashMap<>();
    /** Refunds to come; the visitors' threads add to it. */
    private final Queue<RefundDue> refundsDue = new ConcurrentLinkedQueue<>();
    private int outboxSeen;
    private final AtomicLong tracked = new AtomicLong(), webhooks = new AtomicLong(), orders = new AtomicLong(), refunds = new AtomicLong(),
            sesEvents = new AtomicLong(), sessions = new AtomicLong(), signups = new AtomicLong();
    private final AtomicLong orderIds = new AtomicLong(7_000_000);

    public ShopSimulation(LocalRuntime runtime, SettableClock clock, Mix mix, long seed) {
        this.runtime = runtime;
        this.clock = clock;
        this.mix = mix;
        this.random = new Random(seed);
    }

    /**
     * The shop before the simulated time: its customers (a share subscribed), a past year of orders
     * for some, the segments and the campaigns (a weekly newsletter holding 10% out, deals on
     * Tuesdays and Fridays). The journeys are off while the past is filled in, so the past sends nothing.
     */
    public void setUp(Instant start) throws Exception {
        clock.set(start.minus(Duration.ofDays(1)));
        for (String journey : List.of("welcome", "abandoned-checkout", "browse-abandonment", "post-purchase")) {
            admin("PUT", "/admin/journeys/" + journey, "{\"enabled\": false}", "application/json");
        }
        segments();
        List<Future<?>> created = new ArrayList<>();
        for (int i = 0; i < mix.profiles(); i++) {
            Person p = person(i, random.nextDouble() < mix.subscribedShare());
            people.add(p);
            byEmail.put(p.email(), p);
            int pastOrders = random.nextDouble() < mix.pastBuyerShare() ? 1 + random.nextInt(4) : 0;
            List<Instant> placed = new ArrayList<>();
            for (int k = 0; k < pastOrders; k++) placed.add(start.minus(Duration.ofHours(24 + random.nextInt(365 * 24))));
            long seed = random.nextLong();
            created.add(visitors.submit(() -> {
                customer(p, start.minus(Duration.ofDays(400)));
                Random r = new Random(seed);
                for (Instant at : placed) order(p, at, r, false);
                return null;
            }));
        }
        for (Future<?> f : created) f.get();
        settle();
        for (String journey : List.of("welcome", "abandoned-checkout", "browse-abandonment", "post-purchase")) {
            admin("PUT", "/admin/journeys/" + journey, "{\"enabled\": true}", "application/json");
        }
        campaigns();
        outboxSeen = runtime.outbox().all().size();
    }

    /** The shop's site, brand and segments. */
    void segments() throws Exception {
        // the shop's site: the product pages its visitors' tracked views name are on it, so their links reach its emails
        admin("PUT", "/admin/email/settings", """
                {"brand": {"websiteUrl": "https://shop.example", "primaryColor": "#1f6feb"}}""", "application/json");
        admin("PUT", "/admin/segments/subscribers", """
                {"name": "Subscribers", "condition": {"trait": "email", "op": "exists"}}""", "application/json");
        admin("PUT", "/admin/segments/repeat-buyers", """
                {"name": "Repeat buyers", "condition": {"metric": "orders", "op": "gte", "value": 2}}""", "application/json");
        admin("PUT", "/admin/segments/high-value", """
                {"name": "Predicted high value", "condition": {"metric": "predicted_clv", "op": "gt", "value": 150}}""", "application/json");
    }

    /** The weekly newsletter (10% held out) and the twice-weekly deals. */
    void campaigns() throws Exception {
        admin("PUT", "/admin/campaigns/weekly-news", """
                name: Weekly newsletter
                audience: {segments: [subscribers]}
                message: {template: newsletter}
                schedule: {cron: "0 9 ? * MON *", zone: UTC}
                holdoutPercent: 10
                topic: newsletter
                """, "application/yaml");
        admin("PUT", "/admin/campaigns/deals", """
                name: Deals of the week
                audience: {segments: [subscribers]}
                message: {template: newsletter}
                schedule: {cron: "0 18 ? * TUE,FRI *", zone: UTC}
                topic: deals
                """, "application/yaml");
    }

    /** {@code days} of the shop from {@code start}, an hour at a time. */
    public Counts run(Instant start, int days) throws Exception {
        return run(start, days, 1, 1);
    }

    /**
     * Whether the shop's marketer lifts a pause of the deliverability guard the next morning (benchmarks): at 1/100 of the
     * reference shop's mail, two complaints in a week (0.03% of 2,300 emails is 0.7) pass the guard's 0.08%, which the full
     * shop's 230,000 a week at the same rate never does; a month half paused would bill a smaller shop than the one meant.
     */
    public void resumeMarketingEachMorning(boolean resume) {
        this.resumeMarketing = resume;
    }

    private volatile boolean resumeMarketing;
    private final AtomicLong marketingResumed = new AtomicLong();

    /** How many times the marketer lifted a pause ({@link #resumeMarketingEachMorning}). */
    public long marketingResumed() {
        return marketingResumed.get();
    }

    /**
     * {@code days} of the shop from {@code start}, {@code stepHours} at a time: the schedules and the journeys'
     * waits run at the start of each step (so a wait can be late by up to a step), the segment refresh every
     * {@code refreshHours} (the template's schedule is hourly), the visits hour by hour. The demo shop takes
     * 6-hour steps and a daily refresh, to fill its 60 days in minutes.
     */
    public Counts run(Instant start, int days, int stepHours, int refreshHours) throws Exception {
        if (stepHours < 1 || 24 % stepHours != 0 || refreshHours % stepHours != 0 || 24 % refreshHours != 0) {
            throw new IllegalArgumentException("steps divide the refresh's interval, which divides the day: " + stepHours + ", " + refreshHours);
        }
        for (AtomicLong counter : List.of(tracked, webhooks, orders, refunds, sesEvents, sessions, signups)) counter.set(0);
        for (int hour = 0; hour < days * 24; hour += stepHours) {
            Instant from = start.plus(Duration.ofHours(hour));
            clock.set(from);
            if (resumeMarketing && hour % 24 == 0 && runtime.services().email().current("demo").marketingPaused() != null) {
                admin("POST", "/admin/email/deliverability/resume", "", "application/json");
                marketingResumed.incrementAndGet();
            }
            runtime.scheduler().runDue();
            runtime.journeys().runDue();
            settle();
            clock.set(from.plus(Duration.ofMinutes(5)));
            // the segment refresh's schedule (template.yaml: five past every hour), as Scheduler fires it
            if (hour % refreshHours == 0) refresh();
            for (int h = 0; h < stepHours; h++) {
                Instant within = from.plus(Duration.ofHours(h));
                if (h > 0) clock.set(within);
                signups(within);
                refunds(within);
                // the hour's visits arrive with the clock at its end: each call states its own time in the hour, before
                // the clock, as a browser's call does (one stating a time more than 5 minutes ahead of the clock is not
                // believed, and is stored at its receipt)
                clock.set(within.plus(Duration.ofHours(1)));
                visits(within);
            }
            settle();
            engagement(from.plus(Duration.ofHours(stepHours)));
            settle();
        }
        clock.set(start.plus(Duration.ofDays(days)));
        return new Counts(tracked.get(), webhooks.get(), orders.get(), refunds.get(), sesEvents.get(), sessions.get(), signups.get());
    }

    /** The segment refresh, as its schedule fires it: time-based segments, stage rules, the lifetime-value fit. */
    /**
     * One second of a sale (Black Friday, after the sale email): {@code visits} visits at once, each as a visit after an
     * email's click (pages, products, a cart in half, an order in 70% of checkouts), sent from the visitors' threads; then
     * what they set going is settled with the clock standing at that second, so every write they cause falls in it (the
     * worst case: on AWS the functions that follow the bus lag by a little). Answers the counts so far.
     */
    public Counts saleSecond(Instant second, int visits) throws Exception {
        clock.set(second);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < visits; i++) {
            Person p = people.get(random.nextInt(people.size()));
            long seed = random.nextLong();
            running.add(visitors.submit(() -> {
                session(p, second, new Random(seed), true);
                return null;
            }));
        }
        for (Future<?> f : running) f.get();
        settle();
        return new Counts(tracked.get(), webhooks.get(), orders.get(), refunds.get(), sesEvents.get(), sessions.get(), signups.get());
    }

    void refresh() throws IOException {
        LocalFunctions.invoke(runtime.function("SegmentRefreshFunction"), "SegmentRefreshFunction",
                "{\"refresh\": \"time-based\"}".getBytes(StandardCharsets.UTF_8));
    }

    /** The hour's visits: more in the evening; people who clicked an email lately come back. */
    private void visits(Instant from) throws Exception {
        int hourOfDay = (int) ((from.getEpochSecond() / 3600) % 24);
        double weight = hourOfDay < 7 ? 0.3 : hourOfDay < 17 ? 1.0 : 1.8; // averages 1 over the day
        int count = poisson(mix.sessionsPerDay() / 24.0 * weight);
        List<Visit> planned = new ArrayList<>();
        for (int i = 0; i < count; i++) planned.add(new Visit(people.get(random.nextInt(people.size())), false));
        for (var it = clickedAt.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isBefore(from.plus(Duration.ofHours(1)))) {
                planned.add(new Visit(e.getKey(), true));
                it.remove();
            }
        }
        List<Future<?>> running = new ArrayList<>();
        for (Visit visit : planned) {
            Person p = visit.person();
            boolean fromEmail = visit.fromEmail();
            Instant at = from.plus(Duration.ofSeconds(random.nextInt(3000)));
            long seed = random.nextLong();
            running.add(visitors.submit(() -> {
                session(p, at, new Random(seed), fromEmail);
                return null;
            }));
        }
        for (Future<?> f : running) f.get();
    }

    /** One visit: pages, products, maybe a cart, a checkout and an order (likelier after an email's click). */
    private void session(Person p, Instant start, Random r, boolean fromEmail) throws Exception {
        sessions.incrementAndGet();
        Instant at = start;
        int pages = 1 + poisson(r, 3.2);
        for (int i = 0; i < pages; i++) {
            track("page", p, null, Json.object().put("path", i == 0 ? "/" : "/collections/" + PRODUCTS.get(r.nextInt(PRODUCTS.size())).category()), at);
            at = at.plusSeconds(20 + r.nextInt(60));
        }
        int views = poisson(r, 1.3);
        Product last = null;
        for (int i = 0; i < views; i++) {
            last = PRODUCTS.get(r.nextInt(PRODUCTS.size()));
            track("track", p, "Product Viewed", product(last), at);
            at = at.plusSeconds(30 + r.nextInt(90));
        }
        if (last == null) return;
        double cart = fromEmail ? 0.5 : 0.25;
        if (r.nextDouble() >= cart) return;
        track("track", p, "Product Added", product(last).put("quantity", 1), at);
        at = at.plusSeconds(60);
        if (r.nextDouble() >= 0.5) return;
        track("track", p, "Checkout Started", Json.object().put("checkout_id", UUID.randomUUID().toString()).put("value", last.price()), at);
        at = at.plusSeconds(120);
        if (r.nextDouble() >= (fromEmail ? 0.7 : 0.45)) return;
        order(p, at, r, true);
    }

    private void signups(Instant from) throws Exception {
        int count = poisson(mix.signupsPerDay() / 24.0);
        for (int i = 0; i < count; i++) {
            Person p = person(people.size(), true);
            people.add(p);
            byEmail.put(p.email(), p);
            customer(p, from.plusSeconds(random.nextInt(3600)));
            signups.incrementAndGet();
        }
    }

    private void refunds(Instant from) throws Exception {
        Instant until = from.plus(Duration.ofHours(1));
        for (var it = refundsDue.iterator(); it.hasNext(); ) {
            RefundDue due = it.next();
            if (due.at().isAfter(until)) continue;
            it.remove();
            ObjectNode refund = Json.object().put("id", orderIds.incrementAndGet()).put("order_id", due.orderId())
                    .put("created_at", due.at().toString()).put("processed_at", due.at().toString()).put("note", "damaged in transit");
            refund.putArray("transactions").addObject().put("kind", "refund").put("status", "success").put("amount", due.amount());
            refund.putArray("refund_line_items");
            shopify("refunds/create", refund);
            refunds.incrementAndGet();
        }
    }

    /**
     * SES's events for the emails sent so far, each at its time: Send, then Delivery (99%; the rest
     * bounce), Open for 40% of those delivered (a third of them Apple Mail's prefetch), Click for 15%
     * of the people who opened, and a rare complaint.
     */
    private void engagement(Instant until) {
        List<LocalOutbox.Sent> all = runtime.outbox().all();
        for (LocalOutbox.Sent sent : all.subList(outboxSeen, all.size())) {
            Instant at = sent.at();
            sesDue.add(new Due(at, "Send", sent, false));
            if (random.nextDouble() < 0.01) {
                sesDue.add(new Due(at.plusSeconds(30), "Bounce", sent, false));
                continue;
            }
            sesDue.add(new Due(at.plusSeconds(20), "Delivery", sent, false));
            if (random.nextDouble() < mix.complaintRate()) sesDue.add(new Due(at.plusSeconds(3600), "Complaint", sent, false));
            if (random.nextDouble() < 0.4) {
                boolean machine = random.nextDouble() < 0.33;
                Instant opened = at.plusSeconds(machine ? 60 : 60 + (long) (-Math.log(1 - random.nextDouble()) * 4 * 3600));
                sesDue.add(new Due(opened, "Open", sent, machine));
                if (!machine && random.nextDouble() < 0.15) sesDue.add(new Due(opened.plusSeconds(90), "Click", sent, false));
            }
        }
        outboxSeen = all.size();
        while (!sesDue.isEmpty() && sesDue.peek().at().isBefore(until)) {
            Due due = sesDue.poll();
            runtime.bus().put(ses(due));
            sesEvents.incrementAndGet();
            if (due.type().equals("Click")) {
                Person p = byEmail.get(due.email().email().to());
                if (p != null) clickedAt.put(p, due.at().plusSeconds(300));
            }
        }
    }

    /** SES's event for a due engagement, with what a person's (or a privacy proxy's) open, a click, a bounce or a complaint carries. */
    private static PutEventsRequestEntry ses(Due due) {
        LocalOutbox.Sent sent = due.email();
        ObjectNode what = Json.object();
        switch (due.type()) {
            case "Open" -> {
                if (due.machine()) what.put("userAgent", "Mozilla/5.0").put("ipAddress", "17.58.101.7");
                else what.put("userAgent", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148")
                        .put("ipAddress", "198.51.100.23");
            }
            case "Click" -> what.put("link", "https://shop.example/collections/new").put("userAgent", "Mozilla/5.0 (Macintosh) Safari/605").put("ipAddress", "198.51.100.23");
            case "Bounce" -> {
                what.put("bounceType", "Permanent").put("bounceSubType", "General");
                what.putArray("bouncedRecipients").addObject().put("emailAddress", sent.email().to()).put("diagnosticCode", "smtp; 550 5.1.1 user unknown");
            }
            case "Complaint" -> {
                what.put("complaintFeedbackType", "abuse");
                what.putArray("complainedRecipients").addObject().put("emailAddress", sent.email().to());
            }
            default -> { }
        }
        return LocalTracking.sesEvent(sent, due.type(), what, due.at());
    }

    private Person person(int i, boolean subscribed) {
        String first = FIRST[i % FIRST.length], last = LAST[(i / FIRST.length) % LAST.length];
        String email = (first + "." + last + "." + i).toLowerCase(Locale.ROOT).replace("í", "i") + "@example.com";
        return new Person(900_000L + i, email, first, last, subscribed);
    }

    private void customer(Person p, Instant createdAt) throws Exception {
        ObjectNode c = Json.object().put("id", p.customerId()).put("email", p.email()).put("first_name", p.firstName()).put("last_name", p.lastName())
                .put("created_at", createdAt.toString()).put("updated_at", createdAt.toString()).put("state", "enabled").put("verified_email", true)
                .put("currency", "USD");
        c.putObject("email_marketing_consent").put("state", p.subscribed() ? "subscribed" : "not_subscribed").put("opt_in_level", "single_opt_in")
                .put("consent_updated_at", createdAt.toString());
        shopify("customers/create", c);
    }

    /** An order of one to three products, as Shopify's orders/create; now and then paid again as orders/paid, and refunded days later. */
    private void order(Person p, Instant at, Random r, boolean live) throws Exception {
        long id = orderIds.incrementAndGet();
        ArrayNode lines = Json.MAPPER.createArrayNode();
        BigDecimal total = BigDecimal.ZERO;
        int items = 1 + r.nextInt(3);
        for (int i = 0; i < items; i++) {
            Product product = PRODUCTS.get(r.nextInt(PRODUCTS.size()));
            lines.addObject().put("id", id * 10 + i).put("product_id", Long.parseLong(product.id().substring(2))).put("title", product.name())
                    .put("quantity", 1).put("price", product.price()).put("sku", product.id());
            total = total.add(new BigDecimal(product.price()));
        }
        String amount = total.add(new BigDecimal("5.00")).toPlainString();
        ObjectNode order = Json.object().put("id", id).put("email", p.email()).put("contact_email", p.email()).put("created_at", at.toString())
                .put("processed_at", at.toString()).put("updated_at", at.toString()).put("currency", "USD").put("financial_status", "paid")
                .put("total_price", amount).put("subtotal_price", total.toPlainString()).put("total_tax", "0.00").put("total_discounts", "0.00")
                .put("buyer_accepts_marketing", p.subscribed()).put("name", "#" + id);
        order.putObject("customer").put("id", p.customerId()).put("email", p.email()).put("first_name", p.firstName()).put("last_name", p.lastName());
        order.set("line_items", lines);
        shopify("orders/create", order);
        orders.incrementAndGet();
        if (!live) return;
        if (r.nextDouble() < 0.5) shopify("orders/paid", order); // the same order again, as shops send it
        if (r.nextDouble() < 0.05) refundsDue.add(new RefundDue(at.plus(Duration.ofDays(3)), id, lines.get(0).path("price").asText()));
    }

    private static ObjectNode product(Product p) {
        return Json.object().put("product_id", p.id()).put("name", p.name()).put("category", p.category()).put("price", p.price())
                .put("url", "https://shop.example/products/" + p.id());
    }

    private void track(String type, Person p, String event, ObjectNode properties, Instant at) throws Exception {
        ObjectNode body = Json.object().put("type", type).put("userId", Long.toString(p.customerId())).put("messageId", UUID.randomUUID().toString())
                .put("timestamp", at.toString());
        if (event != null) body.put("event", event);
        if (type.equals("page")) body.put("name", properties.path("path").asText());
        body.set("properties", properties);
        body.putObject("context").put("ip", "198.51.100.23").put("userAgent", "Mozilla/5.0 (Macintosh) Safari/605");
        // where the tracking libraries are pointed: IngestFunction's URL (TrackingUrl), not the HTTP API
        send(HttpRequest.newBuilder(url(LocalServer.FUNCTION_URLS + "IngestFunction/v1/" + type)).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("demo-write-key:".getBytes(StandardCharsets.UTF_8)))
                .POST(BodyPublishers.ofString(Json.write(body))));
        tracked.incrementAndGet();
    }

    private void shopify(String topic, ObjectNode payload) throws Exception {
        byte[] body = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        send(HttpRequest.newBuilder(url("/webhooks/shopify/demo")).header("Content-Type", "application/json").header("X-Shopify-Topic", topic)
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString()).header("X-Shopify-Hmac-Sha256", Signatures.hmacSha256Base64("demo-shopify-secret", body))
                .POST(BodyPublishers.ofByteArray(body)));
        webhooks.incrementAndGet();
    }

    void admin(String method, String path, String body, String contentType) throws Exception {
        send(HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer demo-admin-token").header("Content-Type", contentType)
                .method(method, BodyPublishers.ofString(body)));
    }

    private void send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), BodyHandlers.ofString());
        if (response.statusCode() >= 300) throw new IllegalStateException(response.statusCode() + " from " + request.build().uri() + ": " + response.body());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + runtime.port() + path);
    }

    /** Waits until the bus has delivered everything and no journey is running. */
    private void settle() {
        try {
            for (int i = 0; i < 3; i++) {
                runtime.bus().awaitQuiet(Duration.ofMinutes(2));
                runtime.journeys().awaitIdle(Duration.ofMinutes(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the shop settled", e);
        }
    }

    private int poisson(double mean) {
        return poisson(random, mean);
    }

    private static int poisson(Random r, double mean) {
        double limit = Math.exp(-mean), product = r.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= r.nextDouble();
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        visitors.shutdownNow();
    }

    private static List<Product> products() {
        String[][] catalog = {
                {"shirts", "Linen shirt", "49.00"}, {"shirts", "Oxford shirt", "59.00"}, {"shirts", "Flannel overshirt", "69.00"},
                {"knitwear", "Merino crew", "89.00"}, {"knitwear", "Lambswool cardigan", "109.00"}, {"knitwear", "Cotton hoodie", "65.00"},
                {"trousers", "Chino", "79.00"}, {"trousers", "Selvedge jeans", "129.00"}, {"trousers", "Corduroy trouser", "95.00"},
                {"shoes", "Canvas sneaker", "75.00"}, {"shoes", "Leather derby", "189.00"}, {"shoes", "Suede chukka", "159.00"},
                {"bags", "Canvas tote", "19.50"}, {"bags", "Leather backpack", "229.00"}, {"bags", "Weekender", "179.00"},
                {"accessories", "Wool beanie", "25.00"}, {"accessories", "Leather belt", "45.00"}, {"accessories", "Silk scarf", "55.00"},
                {"home", "Ceramic mug", "18.00"}, {"home", "Linen throw", "85.00"}};
        List<Product> out = new ArrayList<>();
        for (int i = 0; i < catalog.length; i++) out.add(new Product("p-" + (1000 + i), catalog[i][1], catalog[i][0], catalog[i][2]));
        return List.copyOf(out);
    }
}
