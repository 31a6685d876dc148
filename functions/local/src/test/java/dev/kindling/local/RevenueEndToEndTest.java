package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Revenue as the reports see it, end to end through the local runtime: a campaign's emails go out,
 * SES reports opens and clicks (through the bus, as on AWS), the shop's orders and refunds arrive
 * as Shopify webhooks, and the reports answer from the aggregates EventFunction and ReportFunction keep.
 */
class RevenueEndToEndTest extends WithSettableRuntime {
    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    /** A person's browser on a desktop: not a privacy proxy's prefetch. */
    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    RevenueEndToEndTest() {
        super(T0);
    }

    @BeforeEach
    void setUp() throws Exception {
        ok(client.admin("PUT", "/admin/journeys/welcome", "{\"enabled\": false}", "application/json"));
        ok(client.admin("PUT", "/admin/segments/newsletter", "{\"name\": \"Has an email address\", \"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}",
                "application/json"));
    }

    @Test
    void anOrderTwoDaysAfterAClickIsCreditedToTheEmailOneSixDaysAfterIsNotAndARefundTakesItsShareBack() throws Exception {
        customer(7001, "two.days@example.com");
        customer(7002, "six.days@example.com");
        customer(7003, "machine.open@example.com");
        List<LocalOutbox.Sent> sent = newsletterCampaign("autumn", "Autumn sale");
        assertThat(sent).hasSize(3);
        for (LocalOutbox.Sent s : sent) ses("Send", s, null, null); // SES reports each email it accepted

        clock.set(T0.plus(Duration.ofHours(1)));
        ses("Click", to(sent, "two.days@example.com"), BROWSER, "198.51.100.7");
        ses("Click", to(sent, "six.days@example.com"), BROWSER, "198.51.100.8");
        ses("Open", to(sent, "machine.open@example.com"), "Mozilla/5.0", "17.58.1.2"); // Apple Mail Privacy Protection's prefetch
        idle();

        Instant twoDays = T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(1));
        Instant sixDays = T0.plus(Duration.ofDays(6)).plus(Duration.ofHours(1));
        clock.set(twoDays);
        ok(client.shopify("orders/create", order("two.days@example.com", 7101, 7001, "120.00", twoDays)));
        ok(client.shopify("orders/create", order("machine.open@example.com", 7103, 7003, "40.00", twoDays)));
        idle();
        // the shop sends the same order again (paid, updated): it is one order
        ok(client.shopify("orders/updated", order("two.days@example.com", 7101, 7001, "120.00", twoDays)));
        clock.set(sixDays);
        ok(client.shopify("orders/create", order("six.days@example.com", 7102, 7002, "80.00", sixDays)));
        idle();

        String range = "?from=2026-11-01&to=2026-11-30";
        JsonNode campaigns = client.adminJson("/admin/reports/campaigns" + range);
        JsonNode autumn = campaigns.path("sources").path("campaign:autumn");
        assertThat(autumn.path("attributed").path("last").path("revenue").decimalValue()).as("only the order 2 days after its click")
                .isEqualByComparingTo("120.00");
        assertThat(autumn.path("attributed").path("last").path("orders").decimalValue()).isEqualByComparingTo("1");
        assertThat(autumn.path("attributed").path("first").path("revenue").decimalValue()).isEqualByComparingTo("120.00");
        assertThat(autumn.path("attributed").path("linear").path("revenue").decimalValue()).isEqualByComparingTo("120.00");
        assertThat(autumn.path("email").path("sent").asLong()).isEqualTo(3);
        JsonNode overview = client.adminJson("/admin/reports/overview" + range);
        assertThat(overview.path("orders").asLong()).isEqualTo(3);
        assertThat(overview.path("revenue").path("total").decimalValue()).isEqualByComparingTo("240.00");
        assertThat(overview.path("revenue").path("attributed").path("last").decimalValue()).isEqualByComparingTo("120.00");

        // EventBridge delivers at least once: the order's event delivered again to EventFunction counts once
        ObjectNode delivered = runtime.bus().recent(500).stream()
                .filter(e -> e.path("detail-type").asText().equals("Event Ingested") && e.path("detail").path("event").path("event").asText().equals("Order Completed")
                        && e.path("detail").path("event").path("properties").path("order_id").asText().equals("7101"))
                .findFirst().orElseThrow();
        client.invoke("EventFunction", delivered);
        assertThat(client.adminJson("/admin/reports/overview" + range).path("orders").asLong()).as("the same event twice is one order").isEqualTo(3);

        // a refund of 30 on the credited order takes 30 from the email's revenue
        clock.set(sixDays.plus(Duration.ofHours(2)));
        ok(client.shopify("refunds/create", refund(7101, 7201, "30.00", clock.instant())));
        ok(client.shopify("refunds/create", refund(7101, 7201, "30.00", clock.instant()))); // delivered again: counted once
        idle();
        autumn = client.adminJson("/admin/reports/campaigns" + range).path("sources").path("campaign:autumn");
        assertThat(autumn.path("attributed").path("last").path("revenue").decimalValue()).isEqualByComparingTo("90.00");
        overview = client.adminJson("/admin/reports/overview" + range);
        assertThat(overview.path("revenue").path("total").decimalValue()).isEqualByComparingTo("210.00");
        assertThat(overview.path("revenue").path("refunded").decimalValue()).isEqualByComparingTo("30.00");
        assertThat(overview.path("averageOrderValue").decimalValue()).isEqualByComparingTo("70.00");

        JsonNode revenue = client.adminJson("/admin/reports/revenue" + range);
        assertThat(revenue.path("rows").toString()).contains("\"source\":\"campaign:autumn\"");
        HttpResponse<String> csv = client.send(HttpRequest.newBuilder(client.url("/admin/reports/campaigns" + range))
                .header("Authorization", "Bearer demo-admin-token").header("Accept", "text/csv"));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body().lines().findFirst()).hasValueSatisfying(h -> assertThat(h).startsWith("source,sent,open_rate"));
        assertThat(csv.body()).contains("campaign:autumn,3,");

        assertThat(client.admin("GET", "/admin/reports/nonsense", null, null).statusCode()).isEqualTo(404);
        HttpResponse<String> badRange = client.admin("GET", "/admin/reports/overview?from=2026-11-30&to=2026-11-01", null, null);
        assertThat(badRange.statusCode()).isEqualTo(400);
        assertThat(RuntimeClient.json(badRange).path("message").asText()).contains("from must be before to");
    }

    /**
     * A synthetic shop whose true lift is known: 400 subscribers, a campaign holding 20% out, and then
     * orders injected at a known rate for each group — 30% of those emailed, 10% of those held out,
     * every order 50.00 — so the campaign's true conversion lift is +0.20 and its incremental revenue
     * 10.00 per emailed person. The report must recover both within its 95% intervals, and tell the
     * lift apart from none.
     */
    @Test
    void theLiftReportRecoversAnInjectedLiftWithinItsConfidenceInterval() throws Exception {
        int people = 400;
        for (int i = 0; i < people; i++) customer(60000 + i, "lift" + i + "@example.com");
        ok(client.admin("PUT", "/admin/campaigns/lift", """
                name: Lift study
                audience: {segments: [newsletter]}
                message: {template: newsletter}
                holdoutPercent: 20
                """, "application/yaml"));
        assertThat(client.admin("POST", "/admin/campaigns/lift/run", null, null).statusCode()).isEqualTo(202);
        idle();
        Set<String> emailed = new HashSet<>();
        runtime.outbox().all().stream().filter(s -> "lift".equals(s.email().tags().get("campaign"))).forEach(s -> emailed.add(s.email().to()));
        assertThat(emailed.size()).isBetween(280, 360);

        // each group orders at exactly its rate (who in the group orders, and when, is drawn): the realised lift is the true one,
        // whichever contacts the holdout's hash happened to pick this run
        Random random = new Random(20261202L);
        List<String> treated = new ArrayList<>(emailed.stream().sorted().toList());
        List<String> heldOut = new ArrayList<>();
        for (int i = 0; i < people; i++) if (!emailed.contains("lift" + i + "@example.com")) heldOut.add("lift" + i + "@example.com");
        Collections.shuffle(treated, random);
        Collections.shuffle(heldOut, random);
        List<String> buyers = new ArrayList<>(treated.subList(0, (int) Math.round(treated.size() * 0.30)));
        buyers.addAll(heldOut.subList(0, (int) Math.round(heldOut.size() * 0.10)));
        int orders = 0;
        for (String email : buyers) {
            int i = Integer.parseInt(email.substring(4, email.indexOf('@')));
            Instant placed = T0.plus(Duration.ofHours(1 + random.nextInt(72)));
            ok(client.shopify("orders/create", order(email, 61000 + i, 60000 + i, "50.00", placed)));
            orders++;
        }
        idle();
        JsonNode source = client.adminJson("/admin/reports/campaigns?from=2026-11-01&to=2026-11-30").path("sources").path("campaign:lift");
        JsonNode lift = source.path("lift");
        assertThat(lift.path("treated").asLong()).isEqualTo(emailed.size());
        assertThat(lift.path("treated").asLong() + lift.path("heldOut").asLong()).isEqualTo(people);
        assertThat(lift.path("treatedConversions").asLong() + lift.path("heldOutConversions").asLong()).isEqualTo(orders);
        JsonNode conversion = lift.path("conversionLift");
        assertThat(0.20).as("the true lift within the interval " + conversion).isBetween(conversion.path("low").asDouble(), conversion.path("high").asDouble());
        assertThat(conversion.path("low").asDouble()).as("the lift is told apart from none").isPositive();
        JsonNode perPerson = lift.path("revenuePerPersonLift");
        assertThat(10.0).as("10.00 more per person emailed, within " + perPerson).isBetween(perPerson.path("low").asDouble(), perPerson.path("high").asDouble());
        assertThat(lift.path("incrementalRevenue").path("estimate").asDouble())
                .isCloseTo(perPerson.path("estimate").asDouble() * emailed.size(), within(0.01));
    }

    /**
     * The daily refresh fits the shop's lifetime-value model from its customers' orders; each profile
     * then shows its prediction with an interval, and segments select on it.
     */
    @Test
    void theDailyRefreshFitsTheLifetimeValueModelWhichProfilesShowAndSegmentsSelectOn() throws Exception {
        JsonNode before = client.adminJson("/admin/reports/clv");
        assertThat(before.path("basis").asText()).startsWith("not fitted yet");
        // ten loyal customers ordering every two weeks until now, ten who ordered once three months ago
        for (int i = 0; i < 20; i++) customer(50000 + i, "clv" + i + "@example.com");
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k < 6; k++) {
                Instant placed = T0.minus(Duration.ofDays(84 - 14L * k)).minus(Duration.ofHours(i));
                ok(client.shopify("orders/create", order("clv" + i + "@example.com", 51000 + 10L * i + k, 50000 + i, "60.00", placed)));
            }
        }
        for (int i = 10; i < 20; i++) {
            ok(client.shopify("orders/create", order("clv" + i + "@example.com", 52000 + i, 50000 + i, "60.00", T0.minus(Duration.ofDays(90)))));
        }
        idle();
        JsonNode refreshed = client.invoke("SegmentRefreshFunction", Json.read("{\"refresh\": \"time-based\"}", ObjectNode.class));
        assertThat(refreshed.has("demo")).as(refreshed.toString()).isTrue();
        JsonNode clv = client.adminJson("/admin/reports/clv");
        assertThat(clv.path("basis").asText()).startsWith("fitted on 20 customers (10 ordered again)");
        assertThat(clv.path("rows")).hasSize(9);

        JsonNode loyal = client.adminJson("/admin/contacts?email=clv0@example.com").path("predicted");
        JsonNode lapsed = client.adminJson("/admin/contacts?email=clv15@example.com").path("predicted");
        assertThat(loyal.path("predictedClv").asDouble()).isGreaterThan(lapsed.path("predictedClv").asDouble());
        assertThat(loyal.path("probabilityActive").asDouble()).isGreaterThan(lapsed.path("probabilityActive").asDouble());
        assertThat(loyal.path("clvLow").asDouble()).isLessThanOrEqualTo(loyal.path("predictedClv").asDouble());
        assertThat(loyal.path("clvHigh").asDouble()).isGreaterThanOrEqualTo(loyal.path("predictedClv").asDouble());
        assertThat(loyal.path("basis").asText()).startsWith("fitted on 20 customers");

        double threshold = (loyal.path("predictedClv").asDouble() + lapsed.path("predictedClv").asDouble()) / 2;
        JsonNode preview = RuntimeClient.json(client.admin("POST", "/admin/segments/preview",
                "{\"condition\": {\"metric\": \"predicted_clv\", \"op\": \"gt\", \"value\": " + threshold + "}}", "application/json"));
        assertThat(preview.path("count").asLong()).as(preview.toString()).isEqualTo(10);
        JsonNode churn = RuntimeClient.json(client.admin("POST", "/admin/segments/preview",
                "{\"condition\": {\"metric\": \"churn_probability\", \"op\": \"gt\", \"value\": 0.5}}", "application/json"));
        assertThat(churn.path("sample").toString()).doesNotContain("clv0@example.com");
    }

    /**
     * Open and click tracking as SES does it, locally: the outbox's copy of an email has its links through the runtime's
     * redirect and an open pixel; following the link from {@code /outbox} (as a developer would, in a browser) puts SES's
     * Click event on the bus, and the order the person places the next day is credited to that email.
     */
    @Test
    void followingALinkInTheLocalOutboxCreditsTheNextOrderToThatEmail() throws Exception {
        customer(7301, "clicker@example.com");
        LocalOutbox.Sent sent = to(newsletterCampaign("winter", "Winter sale"), "clicker@example.com");

        // the email as the outbox page shows it: its HTML as delivered, with tracked links
        String page = client.send(HttpRequest.newBuilder(client.url("/outbox/" + sent.id()))).body();
        org.jsoup.nodes.Document delivered = org.jsoup.Jsoup.parse(org.jsoup.Jsoup.parse(page).selectFirst("iframe").attr("srcdoc"));
        org.jsoup.nodes.Element link = delivered.selectFirst("a[href*=/t/click/]");
        assertThat(link).as("a tracked link in " + delivered.html()).isNotNull();
        assertThat(delivered.select("img[src$=/t/open/" + sent.id() + "]")).as("the open pixel").hasSize(1);
        var noRedirects = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        var pixel = noRedirects.send(HttpRequest.newBuilder(java.net.URI.create(delivered.selectFirst("img[src*=/t/open/]").attr("src")))
                .header("User-Agent", BROWSER).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pixel.statusCode()).isEqualTo(200);
        assertThat(pixel.headers().firstValue("Content-Type")).hasValue("image/gif");

        clock.set(T0.plus(Duration.ofHours(2)));
        var followed = noRedirects.send(HttpRequest.newBuilder(java.net.URI.create(link.attr("href"))).header("User-Agent", BROWSER).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(followed.statusCode()).isEqualTo(302);
        String destination = followed.headers().firstValue("Location").orElseThrow();
        assertThat(sent.email().html()).as("it goes where the email linked").contains(destination.replace("&", "&amp;"));
        // a link that was never in an email goes nowhere (no open redirect on the runtime)
        String forged = link.attr("href").replaceFirst("u=[^&]+", "u=https%3A%2F%2Fevil.example%2F");
        assertThat(noRedirects.send(HttpRequest.newBuilder(java.net.URI.create(forged)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(404);
        idle();
        JsonNode messages = client.adminJson("/admin/contacts/" + contactId("clicker@example.com") + "/messages");
        assertThat(messages.toString()).as("SES's Open and Click on the email's log").contains("\"Open\"", "\"Click\"");

        Instant nextDay = T0.plus(Duration.ofDays(1));
        clock.set(nextDay);
        ok(client.shopify("orders/create", order("clicker@example.com", 7401, 7301, "64.00", nextDay)));
        idle();
        JsonNode winter = client.adminJson("/admin/reports/campaigns?from=2026-11-01&to=2026-11-30").path("sources").path("campaign:winter");
        assertThat(winter.path("attributed").path("last").path("revenue").decimalValue()).as(winter.toString()).isEqualByComparingTo("64.00");

        // a year's report answers (and two years'); past two years the range is refused, naming the limit
        JsonNode year = client.adminJson("/admin/reports/overview?from=2025-12-01&to=2026-11-30&compare=previous_year");
        assertThat(year.path("revenue").path("total").decimalValue()).isEqualByComparingTo("64.00");
        assertThat(year.path("compared").path("from").asText()).as("the same days a year earlier").isEqualTo("2024-12-01");
        assertThat(year.path("compared").path("to").asText()).isEqualTo("2025-11-30");
        assertThat(year.path("compared").path("revenue").path("total").decimalValue()).isEqualByComparingTo("0");
        assertThat(client.adminJson("/admin/reports/campaigns?from=2024-12-01&to=2026-11-30").path("sources").path("campaign:winter")
                .path("attributed").path("last").path("revenue").decimalValue()).isEqualByComparingTo("64.00");
        HttpResponse<String> tooLong = client.admin("GET", "/admin/reports/overview?from=2024-11-01&to=2026-11-30", null, null);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("at most 731 days apart");
    }

    /**
     * SES's Click comes after the click, sometimes after the order it led to: counted late, it still credits that order
     * (within its window, on the order's day). An order before the click is not credited by it.
     */
    @Test
    void aClickCountedAfterTheOrderItPrecededStillCreditsIt() throws Exception {
        customer(7501, "late.click@example.com");
        LocalOutbox.Sent sent = to(newsletterCampaign("spring", "Spring sale"), "late.click@example.com");
        clock.set(T0.plus(Duration.ofHours(3)));
        PutEventsRequestEntry click = LocalTracking.sesEvent(sent, "Click", Json.object().put("link", "https://shop.example/spring")
                .put("userAgent", BROWSER).put("ipAddress", "198.51.100.9"), clock.instant()); // clicked at 13:00
        Instant ordered = T0.plus(Duration.ofHours(3)).plusSeconds(90);
        clock.set(ordered);
        ok(client.shopify("orders/create", order("late.click@example.com", 7511, 7501, "55.00", ordered)));
        idle();
        String range = "?from=2026-11-01&to=2026-11-30";
        assertThat(client.adminJson("/admin/reports/overview" + range).path("revenue").path("attributed").path("last").decimalValue())
                .as("nothing to credit yet").isEqualByComparingTo("0");
        clock.set(ordered.plusSeconds(60));
        runtime.bus().put(click); // the click's event, a minute after the order's
        idle();
        JsonNode spring = client.adminJson("/admin/reports/campaigns" + range).path("sources").path("campaign:spring");
        assertThat(spring.path("attributed").path("last").path("revenue").decimalValue()).as(spring.toString()).isEqualByComparingTo("55.00");
        runtime.bus().put(click); // delivered again: counted once
        idle();
        assertThat(client.adminJson("/admin/reports/overview" + range).path("revenue").path("attributed").path("last").decimalValue())
                .isEqualByComparingTo("55.00");
    }

    /**
     * A person who clicked an email under an address the shop had only as a subscriber, then logged in as the customer
     * (the shop's server identifies the user with that address: the two profiles merge), is credited as the survivor.
     */
    @Test
    void aMergedProfilesClickCreditsTheSurvivorsOrder() throws Exception {
        customer(7601, "customer.login@example.com");
        ok(client.server("identify", Json.read("""
                {"anonymousId": "reader-7602", "messageId": "reader-7602", "traits": {"email": "reader.7602@example.com"}}""", ObjectNode.class)));
        idle();
        String reader = contactId("reader.7602@example.com");
        var s = runtime.services();
        s.sending().send(new dev.kindling.send.SendRequest("demo", reader, "newsletter", dev.kindling.send.SendRequest.Kind.transactional,
                "merge-7602", Json.object(), dev.kindling.send.SendRequest.Tags.NONE, null));
        LocalOutbox.Sent sent = to(runtime.outbox().all(), "reader.7602@example.com");
        clock.set(T0.plus(Duration.ofHours(1)));
        ses("Click", sent, BROWSER, "198.51.100.10");
        idle();
        ok(client.server("identify", Json.read("""
                {"userId": "7601", "messageId": "login-7601", "traits": {"email": "reader.7602@example.com"}}""", ObjectNode.class)));
        idle();
        String survivor = contactId("customer.login@example.com");
        assertThat(client.adminJson("/admin/contacts/" + survivor).path("contact").path("mergedFrom").toString()).as("merged").contains(reader);
        Instant ordered = T0.plus(Duration.ofDays(1));
        clock.set(ordered);
        ok(client.shopify("orders/create", order("customer.login@example.com", 7611, 7601, "42.00", ordered)));
        idle();
        assertThat(client.adminJson("/admin/reports/overview?from=2026-11-01&to=2026-11-30").path("revenue").path("attributed").path("last")
                .decimalValue()).isEqualByComparingTo("42.00");
    }

    /**
     * The bill's count of events is exact: each stored event is counted as it is published (once, also when delivered
     * again), not batched in an instance's memory, where the last batch was lost when the instance stopped.
     */
    @Test
    void theBillsEventCountIsEveryStoredEventOnceWithNothingLeftInMemory() throws Exception {
        for (int i = 0; i < 7; i++) {
            ok(client.server("track", Json.read("""
                    {"userId": "counted-1", "event": "Product Viewed", "messageId": "counted-%d", "timestamp": "2026-11-05T12:0%d:00Z",
                     "properties": {"product_id": "p-%d"}}""".formatted(i, i, i), ObjectNode.class)));
        }
        ok(client.server("track", Json.read("""
                {"userId": "counted-1", "event": "Product Viewed", "messageId": "counted-3", "timestamp": "2026-11-05T12:03:00Z",
                 "properties": {"product_id": "p-3"}}""", ObjectNode.class))); // the same event again
        idle();
        JsonNode cost = client.adminJson("/admin/reports/cost?from=2026-11-05&to=2026-11-05");
        assertThat(cost.path("counted").path("event").asLong()).as(cost.path("counted").toString()).isEqualTo(7);
    }

    /**
     * The overview's browsing counts are the tracked events stored, counted as the ingest stores them: each product view,
     * add to cart and checkout once, also when delivered again; the visit's session and its carting once, from the
     * person's ledger.
     */
    @Test
    void theOverviewCountsEachViewAddAndCheckoutOnceAndTheVisitOnce() throws Exception {
        String[][] visit = {{"Product Viewed", "0"}, {"Product Viewed", "1"}, {"Product Added", "2"}, {"Product Viewed", "3"},
                {"Product Added", "4"}, {"Checkout Started", "5"}};
        List<ObjectNode> bodies = new ArrayList<>();
        for (String[] e : visit) {
            bodies.add(Json.read("""
                    {"userId": "browsing-1", "event": "%s", "messageId": "browsing-%s", "timestamp": "2026-11-06T10:0%s:00Z",
                     "properties": {"product_id": "p-%s"}}""".formatted(e[0], e[1], e[1], e[1]), ObjectNode.class));
        }
        bodies.add(bodies.get(1)); // the same view again
        for (ObjectNode body : bodies) ok(client.server("track", body));
        idle();
        JsonNode overview = client.adminJson("/admin/reports/overview?from=2026-11-06&to=2026-11-06");
        assertThat(overview.path("productViews").asLong()).as(overview.toString()).isEqualTo(3);
        assertThat(overview.path("addsToCart").asLong()).isEqualTo(2);
        assertThat(overview.path("checkouts").asLong()).isEqualTo(1);
        assertThat(overview.path("sessions").asLong()).isEqualTo(1);
        assertThat(overview.path("addToCartRatio").asDouble()).isEqualTo(1.0);
    }

    /** Saves a campaign of the newsletter to everyone with an email address, runs it, and answers the emails it sent. */
    List<LocalOutbox.Sent> newsletterCampaign(String id, String name) throws Exception {
        ok(client.admin("PUT", "/admin/campaigns/" + id, """
                name: %s
                audience: {segments: [newsletter]}
                message: {template: newsletter}
                """.formatted(name), "application/yaml"));
        assertThat(client.admin("POST", "/admin/campaigns/" + id + "/run", null, null).statusCode()).isEqualTo(202);
        idle();
        return runtime.outbox().all().stream().filter(s -> id.equals(s.email().tags().get("campaign"))).toList();
    }

    void customer(long id, String email) throws Exception {
        ObjectNode customer = Json.read("""
                {"id": %d, "email": "%s", "created_at": "2026-10-01T10:00:00Z", "updated_at": "2026-10-01T10:00:00Z",
                 "first_name": "Buyer", "last_name": "Number%d", "state": "enabled", "verified_email": true,
                 "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": null}}
                """.formatted(id, email, id), ObjectNode.class);
        ok(client.shopify("customers/create", customer));
    }

    static ObjectNode order(String email, long orderId, long customerId, String total, Instant placed) throws Exception {
        ObjectNode order = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("../../events/payloads/shopify-orders-create.json")));
        order.put("id", orderId).put("email", email).put("contact_email", email).put("created_at", placed.toString())
                .put("processed_at", placed.toString()).put("updated_at", placed.toString())
                .put("total_price", total).put("current_total_price", total);
        ((ObjectNode) order.get("customer")).put("id", customerId).put("email", email);
        order.remove("refunds");
        return order;
    }

    static ObjectNode refund(long orderId, long refundId, String amount, Instant at) {
        ObjectNode refund = Json.object().put("id", refundId).put("order_id", orderId).put("created_at", at.toString()).put("processed_at", at.toString());
        refund.putArray("transactions").addObject().put("kind", "refund").put("status", "success").put("amount", amount);
        refund.putArray("refund_line_items");
        return refund;
    }

    static LocalOutbox.Sent to(List<LocalOutbox.Sent> sent, String email) {
        return sent.stream().filter(s -> s.email().to().equals(email)).findFirst().orElseThrow();
    }
}
