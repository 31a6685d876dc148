package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Identity;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's "done when", over HTTP through the local runtime with a clock the test moves: webhooks
 * in, segment.entered / segment.exited out on the bus; the scheduled refresh; the admin views.
 */
class AudienceEndToEndTest {
    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    static final String ABANDONED_CHECKOUT = """
            name: Checkout started in the last 24 hours, no order since
            condition:
              all:
                - event: Checkout Started
                  within: {hours: 24}
                - event: Order Completed
                  performed: false
                  afterLast: Checkout Started
            """;
    static final String BIRTHDAY_TODAY = """
            name: Birthday today (in the contact's time zone)
            condition: {anniversary: birthday}
            """;

    /** A checkout scores 10 points that halve in a day: "cooled" moves the stage once they are under 5. */
    static final String COOLING_CHECKOUTS = """
            groups:
              engagement: {halfLifeDays: 1}
            rules:
              - {id: checkout, event: Checkout Started, group: engagement, points: 10}
            stages:
              - {id: seen, from: [none], to: interest}
              - {id: cooled, from: [interest], to: awareness, when: {score: engagement, op: lt, value: 5}}
              - {id: shopping, from: [awareness], to: consideration, when: {event: Checkout Started, within: {days: 14}}}
            """;

    final HttpClient http = HttpClient.newHttpClient();
    final SettableClock clock = new SettableClock(T0);
    LocalRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock));
    }

    @AfterEach
    void stop() throws Exception {
        runtime.close();
    }

    @Test
    void theAbandonedCheckoutSegmentFillsOnACheckoutAndEmptiesOnTheOrder() throws Exception {
        assertThat(admin("PUT", "/admin/segments/abandoned-checkout", ABANDONED_CHECKOUT, "application/yaml").statusCode()).isEqualTo(200);
        settle();

        assertThat(shopify("checkouts/create", checkout("ada@example.com", "701", "tok-ada", T0.minusSeconds(600))).statusCode()).isEqualTo(200);
        settle();
        JsonNode entered = busEvent("segment.entered", "abandoned-checkout");
        assertThat(entered).as("segment.entered on the bus").isNotNull();
        String ada = entered.path("detail").path("contactId").asText();
        assertThat(entered.path("detail").path("email").asText()).isEqualTo("ada@example.com");
        assertThat(members("abandoned-checkout")).containsExactly(ada);

        JsonNode view = json(admin("GET", "/admin/contacts?email=ada@example.com", null, null));
        assertThat(view.path("segments")).extracting(s -> s.path("id").asText()).containsExactly("abandoned-checkout");
        assertThat(view.path("stage").asText()).isEqualTo("intent");
        assertThat(view.path("scores").path("intent").asDouble()).isEqualTo(15.0);
        assertThat(view.path("stageHistory").size()).isGreaterThanOrEqualTo(1);

        assertThat(shopify("orders/create", order("ada@example.com", "701", "tok-ada", 9001, T0.minusSeconds(300))).statusCode()).isEqualTo(200);
        settle();
        JsonNode exited = busEvent("segment.exited", "abandoned-checkout");
        assertThat(exited).as("segment.exited on the bus").isNotNull();
        assertThat(exited.path("detail").path("contactId").asText()).isEqualTo(ada);
        assertThat(members("abandoned-checkout")).isEmpty();
        JsonNode after = json(admin("GET", "/admin/contacts?email=ada@example.com", null, null));
        assertThat(after.path("segments")).isEmpty();
        assertThat(after.path("stage").asText()).isEqualTo("purchase");
        assertThat(busEvents("stage.changed")).extracting(e -> e.path("detail").path("to").asText()).contains("intent", "purchase");
    }

    @Test
    void aCheckoutLeftAloneLeavesTheSegmentWhenTheScheduledRefreshFindsItOlderThan24Hours() throws Exception {
        admin("PUT", "/admin/segments/abandoned-checkout", ABANDONED_CHECKOUT, "application/yaml");
        shopify("checkouts/create", checkout("bo@example.com", "702", "tok-bo", T0.minusSeconds(60)));
        settle();
        assertThat(members("abandoned-checkout")).hasSize(1);

        clock.advance(Duration.ofHours(23));
        runSchedule();
        assertThat(members("abandoned-checkout")).hasSize(1);
        clock.advance(Duration.ofHours(2));
        runSchedule();
        assertThat(members("abandoned-checkout")).isEmpty();
        assertThat(busEvent("segment.exited", "abandoned-checkout")).isNotNull();
    }

    /**
     * A checkout 40 minutes after the last one does not rewrite the profile (its lastSeen is kept to the hour): the refresh
     * reads the events of everyone seen within a window to that precision, so the later checkout keeps its person in the
     * segment until 24 hours after it, not after the first.
     */
    @Test
    void aCheckoutWithinTheHourOfTheLastKeepsItsPersonInTheSegmentUntil24HoursAfterIt() throws Exception {
        admin("PUT", "/admin/segments/abandoned-checkout", ABANDONED_CHECKOUT, "application/yaml");
        track("u-later", "Checkout Started", "later-1");
        clock.advance(Duration.ofMinutes(40));
        track("u-later", "Checkout Started", "later-2");
        settle();
        assertThat(members("abandoned-checkout")).hasSize(1);

        clock.advance(Duration.ofHours(23).plusMinutes(30)); // 24 hours and 10 minutes after the first checkout
        runSchedule();
        assertThat(members("abandoned-checkout")).as("the second checkout is 23 hours 30 minutes old").hasSize(1);
        clock.advance(Duration.ofMinutes(40));
        runSchedule();
        assertThat(members("abandoned-checkout")).isEmpty();
    }

    @Test
    void theRefreshReadsNoEventsForStageRulesTimeCanOnlyEndYetMovesThroughThemWhenAnotherRuleMovesTheStage() throws Exception {
        HttpResponse<String> saved = admin("PUT", "/admin/scoring", COOLING_CHECKOUTS, "application/yaml");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        shopify("checkouts/create", checkout("cy@example.com", "703", "tok-cy", T0.minusSeconds(60)));
        settle();
        assertThat(json(admin("GET", "/admin/contacts?email=cy@example.com", null, null)).path("stage").asText()).isEqualTo("interest");

        // an hour on: "a checkout within 14 days" can only stop holding as time passes, so nobody's events are read to re-check it
        clock.advance(Duration.ofHours(1));
        assertThat(runSchedule().path("demo").path("eventReads").asInt()).isZero();
        assertThat(json(admin("GET", "/admin/contacts?email=cy@example.com", null, null)).path("stage").asText()).isEqualTo("interest");

        // two days on, the score has decayed under 5: "cooled" moves the stage, and from there the checkout's rule holds, read then
        clock.advance(Duration.ofDays(2));
        assertThat(runSchedule().path("demo").path("eventReads").asInt()).isEqualTo(1);
        JsonNode view = json(admin("GET", "/admin/contacts?email=cy@example.com", null, null));
        assertThat(view.path("stage").asText()).isEqualTo("consideration");
        assertThat(view.path("stageHistory")).extracting(c -> c.path("to").asText()).containsExactly("interest", "awareness", "consideration");
    }

    /**
     * The scores item, written with most events, is not in the contacts index: the index holds a summary of it (the stage,
     * and when a decaying score can first cross a value a rule compares it with), and the refresh reads a person's scores
     * only once that is due. An event that only adds points leaves the summary as it is (its crossing comes later still).
     */
    @Test
    void theRefreshReadsAPersonsScoresOnlyWhenADecayingScoreMayHaveCrossedAValue() throws Exception {
        assertThat(admin("PUT", "/admin/scoring", COOLING_CHECKOUTS, "application/yaml").statusCode()).isEqualTo(200);
        shopify("checkouts/create", checkout("dee@example.com", "711", "tok-dee", clock.instant())); // 10 points: under 5 a day later
        settle();
        assertThat(stageOf("dee@example.com")).isEqualTo("interest");
        var meter = runtime.services().table().meter();
        meter.perWhat(key -> key.replaceAll("#C#.*", "#C#<id>"));

        clock.advance(Duration.ofHours(2));
        Map<String, double[]> before = meter.billedByWhat();
        shopify("checkouts/create", checkout("dee@example.com", "711", "tok-dee-2", clock.instant())); // 19.4 points: under 5 two days on
        settle();
        assertThat(summaryWrites(before, meter.billedByWhat())).as("points added: the summary still holds").isZero();

        assertThat(runSchedule().path("demo").path("scoreReads").asInt()).as("3 hours in").isZero();
        clock.advance(Duration.ofHours(19));
        assertThat(runSchedule().path("demo").path("scoreReads").asInt()).as("21 hours in").isZero();
        // the first checkout's summary comes due a day after it: read, still over 5, and due again when the two are
        clock.advance(Duration.ofHours(4));
        assertThat(runSchedule().path("demo").path("scoreReads").asInt()).as("25 hours in").isEqualTo(1);
        assertThat(stageOf("dee@example.com")).isEqualTo("interest");
        clock.advance(Duration.ofHours(1));
        assertThat(runSchedule().path("demo").path("scoreReads").asInt()).as("26 hours in").isZero();
        clock.advance(Duration.ofHours(24));
        assertThat(runSchedule().path("demo").path("scoreReads").asInt()).as("50 hours in").isEqualTo(1);
        assertThat(stageOf("dee@example.com")).as("cooled, then shopping: a checkout within 14 days").isEqualTo("consideration");
        clock.advance(Duration.ofHours(1));
        assertThat(runSchedule().path("demo").path("scoreReads").asInt()).as("under every value: never due again").isZero();
    }

    String stageOf(String email) throws Exception {
        return json(admin("GET", "/admin/contacts?email=" + email, null, null)).path("stage").asText();
    }

    /** The units written to scores' summaries in the contacts index between two readings of the meter. */
    static double summaryWrites(Map<String, double[]> before, Map<String, double[]> after) {
        return after.entrySet().stream().filter(e -> e.getKey().endsWith(" STAGE"))
                .mapToDouble(e -> e.getValue()[1] - before.getOrDefault(e.getKey(), new double[2])[1]).sum();
    }

    @Test
    void theBirthdaySegmentIsFilledByTheScheduledRefreshInEachContactsTimeZone() throws Exception {
        // 2026-11-21 12:00 UTC: 22 November in Auckland and in Los Angeles; nobody's birthday yet
        clock.set(Instant.parse("2026-11-21T12:00:00Z"));
        admin("PUT", "/admin/segments/birthday-today", BIRTHDAY_TODAY, "application/yaml");
        identify("kiwi", "kiwi@example.com", "1990-11-23", "Pacific/Auckland");
        identify("angeleno", "angeleno@example.com", "1985-11-23", "America/Los_Angeles");
        settle();
        assertThat(members("birthday-today")).isEmpty();

        // a day later, 12:00 UTC is 01:00 on 23 November in Auckland but 04:00 on the 22nd in Los Angeles
        clock.set(Instant.parse("2026-11-22T12:00:00Z"));
        JsonNode report = runSchedule();
        assertThat(report.path("demo").path("entered").asInt()).isEqualTo(1);
        assertThat(emailsOf(members("birthday-today"))).containsExactly("kiwi@example.com");

        // and a day after that, Auckland has moved on and Los Angeles has arrived
        clock.set(Instant.parse("2026-11-23T12:00:00Z"));
        runSchedule();
        assertThat(emailsOf(members("birthday-today"))).containsExactly("angeleno@example.com");
    }

    @Test
    void aSavedSegmentIsFilledWithTheContactsThatAlreadyMatchAndPreviewCountsWithoutSaving() throws Exception {
        shopify("checkouts/create", checkout("cy@example.com", "703", "tok-cy", T0.minusSeconds(60)));
        shopify("checkouts/create", checkout("di@example.com", "704", "tok-di", T0.minusSeconds(60)));
        shopify("orders/create", order("di@example.com", "704", "tok-di", 9002, T0.minusSeconds(30)));
        settle();

        JsonNode preview = json(admin("POST", "/admin/segments/preview", ABANDONED_CHECKOUT, "application/yaml"));
        assertThat(preview.path("count").asInt()).isEqualTo(1);
        assertThat(preview.path("contacts").asInt()).isEqualTo(2);
        assertThat(preview.path("complete").asBoolean()).as("a small shop is read to the end: no estimate").isTrue();
        assertThat(preview.has("about")).isFalse();
        // a contact search by a whole address is a lookup by key, however large the shop
        JsonNode found = json(admin("GET", "/admin/contacts?q=cy@example.com", null, null));
        assertThat(found.path("contacts")).singleElement().satisfies(c -> assertThat(c.path("email").asText()).isEqualTo("cy@example.com"));
        assertThat(found.path("scanned").asInt()).isEqualTo(1);
        assertThat(found.path("complete").asBoolean()).isTrue();
        assertThat(preview.path("sample").get(0).path("email").asText()).isEqualTo("cy@example.com");
        assertThat(members404("abandoned-checkout")).isEqualTo(404);

        admin("PUT", "/admin/segments/abandoned-checkout", ABANDONED_CHECKOUT, "application/yaml");
        settle();
        assertThat(emailsOf(members("abandoned-checkout"))).containsExactly("cy@example.com");
    }

    @Test
    void aSegmentDeletedAndMadeAgainUnderItsIdHoldsItsMembersOnceWhicheverWayTheDropAndTheBackfillMeet() throws Exception {
        shopify("checkouts/create", checkout("cy@example.com", "703", "tok-cy", T0.minusSeconds(60)).put("id", 7031));
        shopify("checkouts/create", checkout("di@example.com", "704", "tok-di", T0.minusSeconds(60)).put("id", 7041));
        settle();
        admin("PUT", "/admin/segments/abandoned-checkout", ABANDONED_CHECKOUT, "application/yaml");
        settle();
        assertThat(emailsOf(members("abandoned-checkout"))).containsExactlyInAnyOrder("cy@example.com", "di@example.com");

        // made again at once: the delete's drop of the members meets the new segment's backfill on the bus
        clock.advance(Duration.ofSeconds(1));
        assertThat(admin("DELETE", "/admin/segments/abandoned-checkout", null, null).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        admin("PUT", "/admin/segments/abandoned-checkout", ABANDONED_CHECKOUT, "application/yaml");
        settle();
        assertThat(emailsOf(members("abandoned-checkout"))).containsExactlyInAnyOrder("cy@example.com", "di@example.com");
        assertThat(reportedMembers("abandoned-checkout")).isEqualTo(2);

        // made again after the drop: the profiles still name the old segment until they are settled again
        clock.advance(Duration.ofSeconds(1));
        admin("DELETE", "/admin/segments/abandoned-checkout", null, null);
        settle();
        clock.advance(Duration.ofSeconds(1));
        admin("PUT", "/admin/segments/abandoned-checkout", ABANDONED_CHECKOUT, "application/yaml");
        settle();
        assertThat(emailsOf(members("abandoned-checkout"))).containsExactlyInAnyOrder("cy@example.com", "di@example.com");
        assertThat(reportedMembers("abandoned-checkout")).isEqualTo(2);
        // the new segment's members entered it anew
        assertThat(busEvents("segment.entered").stream().filter(e -> e.path("detail").path("segmentId").asText().equals("abandoned-checkout")))
                .hasSize(6);
    }

    @Test
    void concurrentEventsOnOneContactGiveTheExactScore() throws Exception {
        identify("u-many", "many@example.com", null, null);
        settle();
        String contactId = runtime.services().contacts().lookup("demo", List.of(Identity.user("u-many")))
                .values().iterator().next();
        int threads = 8, perThread = 5;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    var event = new CanonicalEvent("order-" + thread + "-" + i, EventType.TRACK,
                            "Order Completed", "u-many", null, null, null, Json.object().put("order_id", thread + "-" + i), null, null,
                            null, T0, T0, Source.TRACKING, Map.of());
                    runtime.services().scoreUpdate().apply("demo", contactId, event);
                }
            }));
        }
        for (Thread w : workers) w.join();
        settle();
        JsonNode view = json(admin("GET", "/admin/contacts/" + contactId, null, null));
        // the default model: 30 intent points per order, every time; the clock stands still, so nothing decays
        assertThat(view.path("scores").path("intent").asDouble()).isEqualTo(threads * perThread * 30.0);
        assertThat(view.path("scores").path("engagement").asDouble()).isEqualTo(threads * perThread * 10.0);
    }

    // --- helpers

    /**
     * The stage rules read a person's events only when one of them looks at events: a customer's second order (their stage
     * moved only by orders, fulfilments and the days since the last order) reads none, where reading every scored person's
     * 500 newest events was the scoring's largest read; a first checkout, which the funnel's event rules look at, does.
     */
    @Test
    void aCustomersOrderReadsNoneOfTheirEventsAndAFirstCheckoutDoes() throws Exception {
        shopify("orders/create", order("eve@example.com", "709", "tok-eve", 9101, T0.minusSeconds(600)));
        settle();
        var meter = runtime.services().table().meter();
        meter.perWhat(key -> key.startsWith("E#") ? "E#" : key.replaceAll("#C#.*", "#C#<id>"));

        Map<String, double[]> before = meter.billedByWhat();
        shopify("orders/create", order("eve@example.com", "709", "tok-eve-2", 9102, T0.minusSeconds(300)));
        settle();
        assertThat(eventReads(before, meter.billedByWhat())).as("the customer's second order").isZero();

        before = meter.billedByWhat();
        shopify("checkouts/create", checkout("fay@example.com", "710", "tok-fay", T0.minusSeconds(60)));
        settle();
        assertThat(eventReads(before, meter.billedByWhat())).as("a first checkout: the funnel's rules look at events").isPositive();
    }

    /** The units EventFunction's queries of a person's events billed between two readings of the meter. */
    static double eventReads(Map<String, double[]> before, Map<String, double[]> after) {
        return after.entrySet().stream().filter(e -> e.getKey().startsWith("EventFunction query") && e.getKey().endsWith(" E#"))
                .mapToDouble(e -> e.getValue()[0] - before.getOrDefault(e.getKey(), new double[2])[0]).sum();
    }

    void settle() throws InterruptedException {
        assertThat(runtime.bus().awaitQuiet(Duration.ofSeconds(30))).as("bus deliveries finished").isTrue();
    }

    JsonNode runSchedule() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url("/local/schedules/SegmentRefreshFunction.Schedule"))
                .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        settle();
        return json(response);
    }

    List<JsonNode> busEvents(String detailType) {
        return runtime.bus().recent(LocalBus.KEPT).stream().filter(e -> e.path("detail-type").asText().equals(detailType))
                .map(e -> (JsonNode) e).toList();
    }

    JsonNode busEvent(String detailType, String segmentId) {
        return busEvents(detailType).stream().filter(e -> e.path("detail").path("segmentId").asText().equals(segmentId))
                .findFirst().orElse(null);
    }

    List<String> members(String segmentId) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> page = admin("GET", "/admin/segments/" + segmentId + "/members?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null, null);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = json(page);
            body.path("members").forEach(m -> ids.add(m.path("contactId").asText()));
            cursor = body.path("next").isNull() || body.path("next").isMissingNode() ? null : body.path("next").asText();
        } while (cursor != null);
        return ids;
    }

    long reportedMembers(String segmentId) throws Exception {
        JsonNode report = json(admin("GET", "/admin/reports/segments", null, null));
        for (JsonNode row : report.path("rows")) if (row.path("segment").asText().equals(segmentId)) return row.path("members").asLong();
        throw new AssertionError("no row for " + segmentId + " in " + report);
    }

    int members404(String segmentId) throws Exception {
        return admin("GET", "/admin/segments/" + segmentId + "/members", null, null).statusCode();
    }

    List<String> emailsOf(List<String> contactIds) throws Exception {
        List<String> emails = new ArrayList<>();
        for (String id : contactIds) emails.add(json(admin("GET", "/admin/contacts/" + id, null, null)).path("contact").path("email").asText());
        return emails;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + runtime.port() + path);
    }

    HttpResponse<String> admin(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer demo-admin-token")
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        return http.send(request.build(), BodyHandlers.ofString());
    }

    HttpResponse<String> shopify(String topic, ObjectNode payload) throws Exception {
        byte[] body = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(url("/webhooks/shopify/demo")).header("Content-Type", "application/json")
                .header("X-Shopify-Topic", topic).header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Hmac-Sha256", Signatures.hmacSha256Base64("demo-shopify-secret", body))
                .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());
    }

    /** A track through the public write key, stamped now. */
    void track(String userId, String event, String messageId) throws Exception {
        tracked("/v1/track", Json.object().put("userId", userId).put("event", event).put("messageId", messageId)
                .put("timestamp", clock.instant().toString()));
    }

    void tracked(String path, ObjectNode body) throws Exception {
        var response = http.send(HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("demo-write-key:".getBytes(StandardCharsets.UTF_8)))
                .POST(BodyPublishers.ofString(Json.write(body))).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    void identify(String userId, String email, String birthday, String timeZone) throws Exception {
        ObjectNode body = Json.object().put("userId", userId).put("messageId", "identify-" + userId).put("timestamp", clock.instant().toString());
        ObjectNode traits = body.putObject("traits").put("email", email);
        if (birthday != null) traits.put("birthday", birthday);
        if (timeZone != null) traits.put("timezone", timeZone);
        tracked("/v1/identify", body);
    }

    static ObjectNode checkout(String email, String customerId, String token, Instant at) throws Exception {
        ObjectNode checkout = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("../../events/payloads/shopify-checkouts-create.json")));
        checkout.put("token", token).put("cart_token", "cart-" + token).put("email", email)
                .put("created_at", at.toString()).put("updated_at", at.toString());
        ((ObjectNode) checkout.get("customer")).put("id", customerId).put("email", email);
        return checkout;
    }

    static ObjectNode order(String email, String customerId, String checkoutToken, long orderId, Instant at) throws Exception {
        ObjectNode order = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("../../events/payloads/shopify-orders-create.json")));
        order.put("id", orderId).put("email", email).put("contact_email", email).put("checkout_token", checkoutToken)
                .put("cart_token", "cart-" + checkoutToken).put("created_at", at.toString()).put("processed_at", at.toString());
        ((ObjectNode) order.get("customer")).put("id", customerId).put("email", email);
        return order;
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.read(response.body(), JsonNode.class);
    }
}
