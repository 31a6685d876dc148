package dev.kindling.bench;

import static dev.kindling.bench.IngestBenchmark.max;
import static dev.kindling.bench.IngestBenchmark.median;
import static dev.kindling.bench.IngestBenchmark.min;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.dynamodb.CapacityMeter;
import dev.kindling.aws.dynamodb.DynamoSendSlots;
import dev.kindling.aws.ses.SesEmailSender;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.SampleData;
import dev.kindling.email.SenderIdentity;
import dev.kindling.email.TemplateLibrary;
import dev.kindling.engagement.EmailStats;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.handler.Services;
import dev.kindling.json.Json;
import dev.kindling.local.LocalRuntime;
import dev.kindling.local.LocalSmsOutbox;
import dev.kindling.local.SettableClock;
import dev.kindling.send.EmailSender;
import dev.kindling.send.EmailSending;
import dev.kindling.send.SendRate;
import dev.kindling.send.SendRequest;
import dev.kindling.send.SendResult;
import dev.kindling.shop.Signatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Issue 4's figures: render + build throughput of the abandoned-cart email against string
 * concatenation of the same email; the send rate limit at 50 emails/s for 20 s; what each email
 * costs on AWS, measured through the local runtime (DynamoDB capacity, invocations, bus events).
 *
 * <pre>bin/bench-email [rounds] [seconds-of-rate-limiting] [emails-for-cost]</pre>
 */
public final class EmailBenchmark {
    static final double RATE = 50;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int emails = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        render(rounds);
        rateLimit(seconds);
        cost(emails);
    }

    // ---------------------------------------------------------------- render + build

    static void render(int rounds) {
        System.out.println("## Render + build, one thread: abandoned-cart email (3 line items, 4 recommendations)");
        TemplateLibrary library = TemplateLibrary.defaults();
        Map<String, Object> vars = SampleData.variables("Demo shop", EmailSettings.DEFAULTS);
        int perRound = 2_000;
        for (int i = 0; i < 4_000; i++) { // warm up both
            ours(library, vars);
            concatenated(vars);
        }
        double[] oursRate = new double[rounds];
        double[] baseRate = new double[rounds];
        double[] ratio = new double[rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perRound; i++) sink += ours(library, vars).hashCode();
            long t1 = System.nanoTime();
            for (int i = 0; i < perRound; i++) sink += concatenated(vars).hashCode();
            long t2 = System.nanoTime();
            oursRate[r] = perRound / ((t1 - t0) / 1e9);
            baseRate[r] = perRound / ((t2 - t1) / 1e9);
            ratio[r] = baseRate[r] / oursRate[r];
        }
        var sample = ours(library, vars);
        var plain = concatenated(vars);
        System.out.printf("sizes: ours %,d B HTML + %,d B text; concatenated %,d B HTML + %,d B text (sink %d)%n",
                sample.content().simple().body().html().data().length(), sample.content().simple().body().text().data().length(),
                plain.content().simple().body().html().data().length(), plain.content().simple().body().text().data().length(), sink % 10);
        System.out.printf("Liquid render + text part + SendEmail request: %,.0f emails/s median (%,.0f – %,.0f), %.1f µs each%n",
                median(oursRate), min(oursRate), max(oursRate), 1e6 / median(oursRate));
        System.out.printf("string concatenation + SendEmail request:     %,.0f emails/s median (%,.0f – %,.0f)%n",
                median(baseRate), min(baseRate), max(baseRate));
        System.out.printf("concatenation / ours, per round: %.1f× median (%.1f× – %.1f×) over %d rounds of %,d%n",
                median(ratio), min(ratio), max(ratio), rounds, perRound);
    }

    static software.amazon.awssdk.services.sesv2.model.SendEmailRequest ours(TemplateLibrary library, Map<String, Object> vars) {
        TemplateLibrary.Rendered r = library.render("abandoned-checkout-reminder", vars);
        return SesEmailSender.request(email(r.subject(), r.html(), r.text()));
    }

    /** The same email written by hand: layout, product rows, button, footer, and a text part. */
    @SuppressWarnings("unchecked")
    static software.amazon.awssdk.services.sesv2.model.SendEmailRequest concatenated(Map<String, Object> vars) {
        Map<String, Object> brand = (Map<String, Object>) vars.get("brand");
        Map<String, Object> links = (Map<String, Object>) vars.get("links");
        String checkout = (String) vars.get("checkout_url");
        String name = esc((String) brand.get("name"));
        StringBuilder html = new StringBuilder(6_000).append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>").append(name)
                .append("</title></head>\n<body style=\"margin:0;padding:0;background:#f4f4f5;font-family:Helvetica,Arial,sans-serif\">")
                .append("<div class=\"preheader\" style=\"display:none\">Plus a few things that go well with it.</div>")
                .append("<table role=\"presentation\" width=\"100%\"><tr><td align=\"center\"><table role=\"presentation\" width=\"600\">")
                .append("<tr><td style=\"padding:24px 32px;border-bottom:4px solid #1f6feb\"><strong>").append(name).append("</strong></td></tr>")
                .append("<tr><td style=\"padding:32px\"><h1 style=\"font-size:22px\">Your cart is waiting</h1>");
        StringBuilder text = new StringBuilder(1_500).append(name).append("\n\nYour cart is waiting\n\n");
        rows(html, text, (List<Map<String, Object>>) vars.get("line_items"));
        html.append("<p style=\"margin:24px 0\"><a href=\"").append(checkout).append("\" style=\"display:inline-block;background:#1f6feb;color:#fff\">Complete your order</a></p>")
                .append("<h2 style=\"font-size:18px\">Customers also bought</h2>");
        text.append("Complete your order (").append(checkout).append(")\n\nCustomers also bought\n");
        rows(html, text, (List<Map<String, Object>>) vars.get("recommendations"));
        html.append("</td></tr><tr><td style=\"padding:24px 32px;font-size:12px\"><a href=\"").append(links.get("view_in_browser"))
                .append("\">View this email in your browser</a><br>You receive this email because you subscribed to news from ").append(name)
                .append(".\n<a href=\"").append(links.get("preferences")).append("\">Email preferences</a> &middot; <a href=\"")
                .append(links.get("unsubscribe")).append("\">Unsubscribe</a></td></tr></table></td></tr></table></body></html>");
        text.append("\nView this email in your browser (").append(links.get("view_in_browser")).append(")\nEmail preferences (")
                .append(links.get("preferences")).append(") · Unsubscribe (").append(links.get("unsubscribe")).append(")\n");
        return SesEmailSender.request(email("Your cart is about to expire", html.toString(), text.toString()));
    }

    private static void rows(StringBuilder html, StringBuilder text, List<Map<String, Object>> products) {
        html.append("<table role=\"presentation\" width=\"100%\">");
        for (Map<String, Object> p : products) {
            String title = esc((String) p.get("title"));
            String price = "$" + new java.math.BigDecimal((String) p.get("price")).setScale(2);
            html.append("<tr><td width=\"96\"><a href=\"").append(p.get("url")).append("\"><img src=\"").append(p.get("image"))
                    .append("\" alt=\"").append(title).append("\" width=\"80\"></a></td><td><a href=\"").append(p.get("url")).append("\">")
                    .append(title).append("</a>");
            if (p.get("quantity") instanceof Integer q && q > 1) html.append(" &times; ").append(q);
            html.append("</td><td align=\"right\">").append(price).append("</td></tr>");
            text.append("- ").append(p.get("title")).append(" (").append(p.get("url")).append(") ").append(price).append('\n');
        }
        html.append("</table>");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static EmailSender.OutgoingEmail email(String subject, String html, String text) {
        return new EmailSender.OutgoingEmail("m-bench", "\"Demo shop\" <hello@shop.example>", null, "jane@example.com", subject, html, text,
                List.of(new EmailSender.Header("List-Unsubscribe", "<https://example.com/unsubscribe>"),
                        new EmailSender.Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")),
                Map.of("shop", "demo", "contact", "c-1", "message", "m-bench", "template", "abandoned-checkout-reminder", "kind", "marketing"),
                "kindling-dev-email");
    }

    // ---------------------------------------------------------------- rate limiting

    static void rateLimit(int seconds) throws Exception {
        System.out.println();
        System.out.printf("## Send rate limit: %.0f emails/s configured, 16 senders (as concurrent Lambda instances) for %d s, through DynamoDB Local%n", RATE, seconds);
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, Clock.systemUTC()))) {
            Services s = runtime.services();
            List<String> contacts = contacts(s, 400, Instant.now());
            ConcurrentLinkedQueue<Long> sentAt = new ConcurrentLinkedQueue<>();
            EmailSender recording = new EmailSender() {
                @Override
                public String send(OutgoingEmail email) {
                    sentAt.add(System.nanoTime());
                    return "ses-" + email.messageId();
                }

                @Override
                public double maxSendRate() {
                    return RATE;
                }

                @Override
                public void forget(String address) {
                }
            };
            EmailSending sending = new EmailSending(s.shops(), s.contacts(), s.email(), s.messages(), s.suppressions(),
                    EmailStats.sentCount(s.emailStats()), new SendRate(new DynamoSendSlots(s.table()), Clock.systemUTC()), recording, s.emailVariables(), s.linkTokens(),
                    new EmailSending.Texts(text -> { throw new UnsupportedOperationException("this benchmark sends email only"); }, s.textedNumbers(), s.shortLinks(), null),
                    s.couponCodes(), Clock.systemUTC(),
                    new EmailSending.Config("http://127.0.0.1", new SenderIdentity("hello@kindling.local", "kindling.local"), "kindling-dev-email", RATE, Duration.ofSeconds(5)));
            ExecutorService pool = Executors.newFixedThreadPool(16);
            AtomicInteger next = new AtomicInteger();
            LongAdder deferred = new LongAdder();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            for (int t = 0; t < 16; t++) {
                pool.execute(() -> {
                    while (System.nanoTime() < end) {
                        int n = next.getAndIncrement();
                        SendResult r = sending.send(new SendRequest("demo", contacts.get(n % contacts.size()), "order-thank-you",
                                SendRequest.Kind.transactional, "rate-" + n, Json.object(), SendRequest.Tags.NONE, null));
                        if (r.status() != dev.kindling.send.MessageRecord.Status.sent) deferred.increment();
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
            long[] t = sentAt.stream().mapToLong(Long::longValue).sorted().toArray();
            int most = 0;
            for (int i = 0, j = 0; i < t.length; i++) {
                while (j < t.length && t[j] < t[i] + 1_000_000_000L) j++;
                most = Math.max(most, j - i);
            }
            double span = (t[t.length - 1] - t[0]) / 1e9;
            System.out.printf("sent %,d in %.2f s: achieved %.2f emails/s; largest count in any one-second window: %d; not sent (deferred): %d%n",
                    t.length, span, (t.length - 1) / span, most, deferred.sum());
            double[] gaps = new double[t.length - 1];
            for (int i = 1; i < t.length; i++) gaps[i - 1] = (t[i] - t[i - 1]) / 1e6;
            java.util.Arrays.sort(gaps);
            System.out.printf("gap between sends ms: p1 %.1f  p50 %.1f  p99 %.1f (the slot is 1/rate = %.1f ms)%n",
                    gaps[(int) (gaps.length * 0.01)], gaps[gaps.length / 2], gaps[(int) (gaps.length * 0.99)], 1000 / RATE);
        }
    }

    // ---------------------------------------------------------------- cost per email

    static void cost(int n) throws Exception {
        System.out.println();
        System.out.printf("## What %d marketing emails cost, through the local runtime (capacity as AWS bills it on demand)%n", n);
        SettableClock clock = new SettableClock(Instant.parse("2026-11-22T12:00:00Z"));
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock))) {
            Services s = runtime.services();
            LongAdder ours = new LongAdder();
            runtime.bus().listen(e -> {
                if (!e.path("source").asText().equals("aws.ses")) ours.increment();
            });
            HttpClient http = HttpClient.newHttpClient();
            String orderTemplate = Files.readString(Path.of("events/payloads/shopify-orders-create.json"));
            List<String> contactIds = new ArrayList<>();
            for (int i = 0; i < n; i++) { // customers who subscribed at checkout, with an order (history for recommendations)
                ObjectNode order = (ObjectNode) Json.MAPPER.readTree(orderTemplate);
                String email = "cost" + i + "@example.com";
                order.put("id", 9_000_000 + i).put("email", email).put("contact_email", email);
                ((ObjectNode) order.get("customer")).put("id", 8_000_000 + i).put("email", email).put("phone", String.format("+1415555%04d", i % 10_000))
                        .putObject("sms_marketing_consent").put("state", "subscribed").put("opt_in_level", "single_opt_in");
                byte[] body = Json.write(order).getBytes(StandardCharsets.UTF_8);
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + "/webhooks/shopify/demo"))
                        .header("Content-Type", "application/json").header("X-Shopify-Topic", "orders/create").header("X-Shopify-Webhook-Id", "cost-" + i)
                        .header("X-Shopify-Hmac-Sha256", Signatures.hmacSha256Base64("demo-shopify-secret", body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) throw new IllegalStateException(response.body());
            }
            runtime.bus().awaitQuiet(Duration.ofMinutes(2));
            for (int i = 0; i < n; i++) contactIds.add(s.contacts().lookup("demo", List.of(dev.kindling.contact.Identity.email("cost" + i + "@example.com")))
                    .values().iterator().next());

            Map<String, Step> steps = new java.util.LinkedHashMap<>();
            List<JsonNode> results = new ArrayList<>();
            steps.put("send (SendFunction: checks, render with recommendations, claim, SES call, log)", measure(runtime, ours, n, () -> {
                for (int i = 0; i < n; i++) {
                    ObjectNode request = Json.object().put("shopId", "demo").put("contactId", contactIds.get(i)).put("template", "abandoned-checkout-reminder")
                            .put("kind", "marketing").put("idempotencyKey", "cost-" + i);
                    ObjectNode event = request.putObject("context").putObject("event");
                    event.put("checkout_url", "https://shop.example.com/checkouts/" + i);
                    event.putArray("products").addObject().put("product_id", "632910392").put("name", "IPod Nano - 8GB").put("price", "199.00").put("quantity", 1);
                    results.add(Json.MAPPER.valueToTree(s.sending().send(SendRequest.parse(request)))); // what SendFunction does
                }
                return n;
            }));
            for (JsonNode r : results) if (!r.path("status").asText().equals("sent")) throw new IllegalStateException("not sent: " + r);
            for (String type : List.of("Send", "Delivery", "Open", "Click")) {
                steps.put("SES " + type + " event (EngagementFunction" + (type.equals("Open") || type.equals("Click") ? " + the person's event: ingest, scoring, segments)" : ": log, counters)"),
                        measure(runtime, ours, n, () -> {
                            for (int i = 0; i < n; i++) runtime.bus().put(sesEvent(type, "cost" + i + "@example.com", contactIds.get(i), results.get(i).path("messageId").asText()));
                            return n;
                        }));
            }
            // a text to the same people, side by side: the same path, an sms template; then End User Messaging's receipt
            List<JsonNode> texts = new ArrayList<>();
            steps.put("text (the same path: checks, render, claim, the number's owner, SendTextMessage, log)", measure(runtime, ours, n, () -> {
                for (int i = 0; i < n; i++) {
                    ObjectNode request = Json.object().put("shopId", "demo").put("contactId", contactIds.get(i)).put("template", "abandoned-checkout-text")
                            .put("kind", "marketing").put("idempotencyKey", "cost-text-" + i);
                    request.putObject("context").putObject("event").put("checkout_url", "https://shop.example.com/checkouts/" + i);
                    texts.add(Json.MAPPER.valueToTree(s.sending().send(SendRequest.parse(request))));
                }
                return n;
            }));
            for (JsonNode r : texts) if (!r.path("status").asText().equals("sent")) throw new IllegalStateException("text not sent: " + r);
            List<LocalSmsOutbox.Text> outbox = runtime.smsOutbox().all();
            steps.put("text's delivery receipt (SmsFunction: log, counters; + 1 SNS message and 1 invocation, not metered here)", measure(runtime, ours, n, () -> {
                for (LocalSmsOutbox.Text text : outbox) {
                    s.smsInbound().handle(Json.object().put("eventType", "TEXT_DELIVERED").put("messageId", text.id()).put("totalMessageParts", text.segments())
                            .put("totalMessagePrice", 0.00581).put("totalCarrierFee", 0.00302).set("context", Json.MAPPER.valueToTree(text.context())));
                }
                return n;
            }));
            // the same email again with a unique coupon code in it (docs/loyalty.md): what taking a code from the pool adds
            List<String> pool = new ArrayList<>();
            for (int i = 0; i < n; i++) pool.add("COST-" + i);
            s.email().store().putCoupon("demo", "cost", Json.object().put("source", "pool").put("expiresAfter", "P14D")
                    .set("discount", Json.object().put("percent", 10)), s.email().store().version("demo"));
            s.couponCodes().add("demo", "cost", pool);
            List<JsonNode> withCodes = new ArrayList<>();
            steps.put("send with a unique coupon code (the same send, and a code taken from the pool under its key)", measure(runtime, ours, n, () -> {
                for (int i = 0; i < n; i++) {
                    ObjectNode request = Json.object().put("shopId", "demo").put("contactId", contactIds.get(i)).put("template", "abandoned-checkout-reminder")
                            .put("kind", "marketing").put("idempotencyKey", "cost-coupon-" + i).put("coupon", "cost");
                    // the first send and the text filled the shop's cap of 2 a day: this one is let past it, its ledger still read and written
                    request.putObject("pacing").put("frequencyCap", false).put("quietHours", false);
                    ObjectNode event = request.putObject("context").putObject("event");
                    event.put("checkout_url", "https://shop.example.com/checkouts/" + i);
                    event.putArray("products").addObject().put("product_id", "632910392").put("name", "IPod Nano - 8GB").put("price", "199.00").put("quantity", 1);
                    withCodes.add(Json.MAPPER.valueToTree(s.sending().send(SendRequest.parse(request))));
                }
                return n;
            }));
            for (JsonNode r : withCodes) if (!r.path("status").asText().equals("sent")) throw new IllegalStateException("not sent: " + r);
            System.out.println("| step | RRU | WRU | Lambda invocations | our bus events |");
            System.out.println("|---|---|---|---|---|");
            steps.forEach((name, st) -> System.out.printf("| %s | %.2f | %.2f | %.2f | %.2f |%n", name, st.rru, st.wru, st.invocations, st.busEvents));

            // per 1,000 emails: every email is sent and delivered; opens and clicks at typical rates
            double openRate = 0.30;
            double clickRate = 0.03;
            double[] weights = {1, 1, 1, openRate, clickRate, 0, 0, 0}; // the texts and the coupon send are shown beside, not in the total
            double rru = 0, wru = 0, invocations = 0, bus = 0;
            int k = 0;
            for (Step st : steps.values()) {
                rru += weights[k] * st.rru;
                wru += weights[k] * st.wru;
                invocations += weights[k] * st.invocations;
                bus += weights[k] * st.busEvents;
                k++;
            }
            double perThousand = 1000;
            double dynamo = perThousand * (rru * 0.125e-6 + wru * 0.625e-6);
            double lambda = perThousand * invocations * (0.20e-6 + 0.030 * 1.0 * 0.0000133334);
            double events = perThousand * bus * 1.00e-6;
            double ses = perThousand * 0.10 / 1000;
            System.out.printf("per 1,000 emails (opens %.0f%%, clicks %.0f%%): %.0f RRU, %.0f WRU, %.0f invocations, %.0f bus events%n",
                    openRate * 100, clickRate * 100, perThousand * rru, perThousand * wru, perThousand * invocations, perThousand * bus);
            System.out.printf("cost per 1,000 emails: SES $%.4f + DynamoDB $%.4f + Lambda $%.4f (30 ms at 1 GB assumed) + EventBridge $%.4f = $%.4f%n",
                    ses, dynamo, lambda, events, ses + dynamo + lambda + events);
        }
    }

    record Step(double rru, double wru, double invocations, double busEvents) {}

    interface Work {
        int run() throws Exception;
    }

    static Step measure(LocalRuntime runtime, LongAdder ours, int n, Work work) throws Exception {
        runtime.bus().awaitQuiet(Duration.ofMinutes(2));
        CapacityMeter.Snapshot before = runtime.services().table().meter().snapshot();
        Map<String, Long> invokedBefore = runtime.bus().invocations();
        long busBefore = ours.sum();
        int direct = work.run();
        runtime.bus().awaitQuiet(Duration.ofMinutes(2));
        CapacityMeter.Snapshot used = runtime.services().table().meter().snapshot().minus(before);
        long invoked = 0;
        for (var e : runtime.bus().invocations().entrySet()) invoked += e.getValue() - invokedBefore.getOrDefault(e.getKey(), 0L);
        boolean directInvoke = direct > 0 && invoked == 0;
        return new Step(used.billedReadUnits() / n, used.billedWriteUnits() / n, (invoked + (directInvoke ? direct : 0)) / (double) n,
                (ours.sum() - busBefore) / (double) n);
    }

    /** AWS's documented event record shape, for one of our messages. */
    static PutEventsRequestEntry sesEvent(String type, String recipient, String contactId, String messageId) throws Exception {
        ObjectNode record = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("events/payloads/ses-bounce.json")).replace("recipient@example.com", recipient));
        record.remove("bounce");
        record.put("eventType", type);
        String field = Character.toLowerCase(type.charAt(0)) + type.substring(1);
        ObjectNode detail = record.putObject(field).put("timestamp", "2026-11-22T12:05:00Z");
        if (type.equals("Click")) detail.put("link", "https://shop.example.com/products/632910392");
        ObjectNode tags = (ObjectNode) record.path("mail").path("tags");
        tags.putArray("contact").add(contactId);
        tags.putArray("message").add(messageId);
        tags.putArray("template").add("abandoned-checkout-reminder");
        String detailType = Map.of("Send", "Email Sent", "Delivery", "Email Delivered", "Open", "Email Opened", "Click", "Email Clicked").get(type);
        return PutEventsRequestEntry.builder().source("aws.ses").detailType(detailType).detail(Json.write(record)).build();
    }

    /** Contacts with an email address, straight into the store (the rate benchmark sends them transactional mail). */
    static List<String> contacts(Services s, int count, Instant at) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String email = "rate" + i + "@example.com";
            CanonicalEvent identify = new CanonicalEvent("rate-id-" + i, EventType.IDENTIFY, null, null, null, email, null, Json.object(),
                    Json.object().put("email", email), null, null, at, at, Source.TRACKING, Map.of());
            ids.add(s.ingestor().ingest("demo", "tracking:rate-id-" + i, identify).contactId());
        }
        return ids;
    }

}
