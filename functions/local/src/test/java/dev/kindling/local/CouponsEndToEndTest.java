package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.dynamodb.DynamoSendSlots;
import dev.kindling.email.SenderIdentity;
import dev.kindling.engagement.EmailStats;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSending;
import dev.kindling.send.SendRate;
import dev.kindling.send.SendRequest;
import dev.kindling.send.SendResult;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unique coupon codes from outside: a pool the shop uploads, a campaign that names it, each recipient's own code in their
 * email, a send deferred and sent again keeping its code, and a Shopify order redeeming a code: marked redeemed, and
 * credited to the campaign that gave it though nobody opened or clicked anything.
 */
class CouponsEndToEndTest extends WithSettableRuntime {
    static final Instant T0 = Instant.parse("2026-12-05T15:00:00Z");
    static final Pattern CODE = Pattern.compile("WINTER-[A-Z0-9]+");

    CouponsEndToEndTest() {
        super(T0);
    }

    @BeforeEach
    void setUp() throws Exception {
        ok(client.admin("PUT", "/admin/journeys/welcome", "{\"enabled\": false}", "application/json"));
        ok(client.admin("PUT", "/admin/journeys/post-purchase", "{\"enabled\": false}", "application/json"));
        ok(client.admin("PUT", "/admin/coupons/winter", """
                name: Winter 15%
                source: pool
                codes: [WINTER-A1, WINTER-B2, WINTER-C3, WINTER-D4, WINTER-E5]
                discount: {percent: 15}
                expiresAfter: P14D
                lowPoolWarning: 3
                """, "application/yaml"));
        ok(client.admin("PUT", "/admin/templates/winter-sale", """
                name: Winter sale
                subject: "15% off for you, {{ contact.first_name }}"
                html: "<p>Your own code: <b>{{ coupon.code }}</b>, {{ coupon.percent }}% off until {{ coupon.expires_on }}.</p>"
                """, "application/yaml"));
    }

    @Test
    void aPoolCouponGivesEachRecipientTheirOwnCodeAndTheOrderRedeemingOneCreditsTheCampaign() throws Exception {
        for (String name : List.of("ann", "bob", "cat")) customer(name + "@example.com", name.equals("ann") ? 9601 : name.equals("bob") ? 9602 : 9603);
        ok(client.admin("PUT", "/admin/segments/customers", "{\"name\": \"Customers\", \"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}",
                "application/json"));
        ok(client.admin("PUT", "/admin/campaigns/winter", """
                name: Winter sale
                audience: {segments: [customers]}
                message: {template: winter-sale, coupon: winter}
                """, "application/yaml"));
        ok(client.admin("POST", "/admin/campaigns/winter/run", null, null));
        idle();

        List<String> codes = new ArrayList<>();
        for (var sent : runtime.outbox().all()) {
            Matcher m = CODE.matcher(sent.email().html());
            assertThat(m.find()).as(sent.email().html()).isTrue();
            codes.add(m.group());
            assertThat(sent.email().html()).contains("15% off until 2026-12-19");
        }
        assertThat(codes).as("three recipients, three different codes from the pool").hasSize(3).doesNotHaveDuplicates()
                .allMatch(c -> List.of("WINTER-A1", "WINTER-B2", "WINTER-C3", "WINTER-D4", "WINTER-E5").contains(c));
        JsonNode coupon = client.adminJson("/admin/coupons/winter");
        assertThat(coupon.path("remaining").asInt()).isEqualTo(2);
        assertThat(coupon.path("warning").asText()).as("below the warning of 3").contains("2 codes left");
        assertThat(coupon.path("coupon").has("codes")).as("the stored document keeps no codes").isFalse();

        // from the attacker's side: an order claimed through the public write key naming Ann's code redeems nothing
        String annCodeEarly = codeOf(contactId("ann@example.com"));
        ObjectNode claimed = Json.object().put("anonymousId", "stranger").put("event", "Order Completed").put("messageId", "claimed-order");
        claimed.putObject("properties").put("order_id", "claimed-1").put("total", "999.00").put("coupon", annCodeEarly);
        assertThat(client.track("track", claimed).statusCode()).isEqualTo(200);
        idle();
        assertThat(client.adminJson("/admin/coupons/winter/codes/" + annCodeEarly).path("redeemed").asBoolean()).isFalse();

        // Ann orders with her code, typed in lower case: redeemed by that order, and the campaign credited without an open or click
        String ann = contactId("ann@example.com");
        String annCode = codeOf(ann);
        ObjectNode order = OrdersEndToEndTest.order("ann@example.com", 9701).put("total_price", "80.00");
        String placed = T0.plus(Duration.ofHours(2)).toString();
        order.put("created_at", placed).put("processed_at", placed).put("updated_at", placed);
        order.putArray("discount_codes").addObject().put("code", annCode.toLowerCase()).put("amount", "14.12").put("type", "percentage");
        assertThat(client.shopify("orders/create", order).statusCode()).isEqualTo(200);
        idle();
        JsonNode redeemed = client.adminJson("/admin/coupons/winter/codes/" + annCode);
        assertThat(redeemed.path("redeemed").asBoolean()).as(redeemed.toString()).isTrue();
        assertThat(redeemed.path("redeemedBy").asText()).isEqualTo("9701");
        assertThat(redeemed.path("contactId").asText()).isEqualTo(ann);
        JsonNode credited = client.adminJson("/admin/reports/campaigns?from=2026-12-05&to=2026-12-05").path("sources").path("campaign:winter");
        assertThat(credited.path("attributed").path("last").path("revenue").decimalValue()).as(credited.toString()).isEqualByComparingTo("80.00");
        // a second order naming the same code is not the one that redeemed it, and credits nothing more
        ObjectNode again = OrdersEndToEndTest.order("bob@example.com", 9702).put("total_price", "50.00");
        again.put("created_at", placed).put("processed_at", placed).put("updated_at", placed);
        again.putArray("discount_codes").addObject().put("code", annCode);
        assertThat(client.shopify("orders/create", again).statusCode()).isEqualTo(200);
        idle();
        assertThat(client.adminJson("/admin/coupons/winter/codes/" + annCode).path("redeemedBy").asText()).isEqualTo("9701");
        credited = client.adminJson("/admin/reports/campaigns?from=2026-12-05&to=2026-12-05").path("sources").path("campaign:winter");
        assertThat(credited.path("attributed").path("last").path("revenue").decimalValue()).isEqualByComparingTo("80.00");

        // her codes are hers: in her export, and gone with her erasure (the code's items too, which name her)
        JsonNode export = client.download(client.adminJson("/admin/contacts/" + ann + "/export")).path("items");
        assertThat(export.path("coupons").toString()).contains(annCode);
        assertThat(export.path("couponCodes").toString()).as("the code item: by whom it was redeemed").contains("\"redeemedBy\":\"9701\"");
        assertThat(client.admin("DELETE", "/admin/contacts/" + ann, null, null).statusCode()).isEqualTo(200);
        List<String> leftovers = new ArrayList<>();
        runtime.services().table().scan("", page -> page.forEach(item -> {
            if (item.toString().contains(ann)) leftovers.add(item.get("pk").s() + " / " + item.get("sk").s());
        }));
        assertThat(leftovers).isEmpty();
        assertThat(client.admin("GET", "/admin/coupons/winter/codes/" + annCode, null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aSendDeferredByTheAccountsRateKeepsItsCodeWhenItIsSentAgain() throws Exception {
        customer("dee@example.com", 9604);
        customer("eve@example.com", 9605);
        var s = runtime.services();
        // one email a second and no waiting for a slot: the second send is deferred after its code was given
        var config = new EmailSending.Config("http://127.0.0.1", new SenderIdentity("hello@kindling.local", "kindling.local"), "local", 1.0, Duration.ZERO);
        var paced = new EmailSending(s.shops(), s.contacts(), s.email(), s.messages(), s.suppressions(), EmailStats.sentCount(s.emailStats()), new SendRate(new DynamoSendSlots(s.table()), clock),
                runtime.outbox(), s.emailVariables(), s.linkTokens(), null, s.couponCodes(), clock, config);
        SendResult first = paced.send(request(contactId("dee@example.com"), "winter:dee"));
        SendResult deferred = paced.send(request(contactId("eve@example.com"), "winter:eve"));
        assertThat(first.status().name()).isEqualTo("sent");
        assertThat(deferred.status().name() + ":" + deferred.reason()).isEqualTo("deferred:rate_limited");
        String eve = contactId("eve@example.com");
        String given = codeOf(eve);
        clock.set(deferred.until());
        assertThat(paced.send(request(eve, "winter:eve")).status().name()).isEqualTo("sent");
        String emailed = runtime.outbox().all().stream().filter(e -> e.email().to().equals("eve@example.com")).findFirst().orElseThrow().email().html();
        assertThat(emailed).as("the code given before the deferral").contains(given);
        assertThat(client.adminJson("/admin/coupons/winter").path("remaining").asInt()).as("one code each").isEqualTo(3);
    }

    /**
     * Two subjects on one template, judged by what pays: variant a's subject gets one $20 order, b's two of $150, each
     * redeeming the code its email gave (so each order is credited to its variant without an open or a click). After the
     * test's hour b wins by revenue per recipient and goes to the rest; with a few orders the decision
     * says whether it was conclusive (the stated minimum here is 1 a variant, the probability 0.95).
     */
    @Test
    void aSubjectTestOnOneTemplatePicksItsWinnerByRevenuePerRecipient() throws Exception {
        // variants are dealt by hashing each contact's random id: with 60 people a quarter each is a's and b's in the slice,
        // so fewer than one for a or two for b happens about once in a million runs
        int people = 60;
        for (int i = 0; i < people; i++) customer("ab" + i + "@example.com", 9800 + i);
        ok(client.admin("PUT", "/admin/segments/customers", "{\"name\": \"Customers\", \"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}",
                "application/json"));
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < people; i++) pool.add("WINTER-AB" + i);
        ok(client.admin("PUT", "/admin/coupons/winter", Json.write(Json.object().put("source", "pool").put("expiresAfter", "P14D")
                .<ObjectNode>set("discount", Json.object().put("percent", 15)).set("codes", Json.MAPPER.valueToTree(pool))), "application/json"));
        ok(client.admin("PUT", "/admin/campaigns/winter-ab", """
                audience: {segments: [customers]}
                message:
                  template: winter-sale
                  coupon: winter
                  variants:
                    - {id: a, subject: "Last chance: 15% off"}
                    - {id: b, subject: "Our winter edit is here, {{ contact.first_name }}", fromName: "Mia at Demo shop"}
                test: {percent: 50, metric: revenue, after: PT1H, probability: 0.95, minPerVariant: 1}
                """, "application/yaml"));
        ok(client.admin("POST", "/admin/campaigns/winter-ab/run", null, null));
        idle();
        var test = List.copyOf(runtime.outbox().all());
        var a = test.stream().filter(e -> "a".equals(e.email().tags().get("variant"))).toList();
        var b = test.stream().filter(e -> "b".equals(e.email().tags().get("variant"))).toList();
        assertThat(a).as("a's share of the slice").isNotEmpty();
        assertThat(b).as("b's share of the slice").hasSizeGreaterThanOrEqualTo(2);
        assertThat(a).allSatisfy(e -> assertThat(e.email().subject()).isEqualTo("Last chance: 15% off"));
        assertThat(b).allSatisfy(e -> {
            assertThat(e.email().subject()).startsWith("Our winter edit is here, Ab");
            assertThat(e.email().from()).contains("Mia at Demo shop");
        });
        order(a.get(0), 9901, "20.00");
        order(b.get(0), 9902, "150.00");
        order(b.get(1), 9903, "150.00");

        clock.advance(Duration.ofHours(1).plusMinutes(1));
        runtime.scheduler().runDue();
        idle();
        JsonNode decision = client.adminJson("/admin/campaigns/winter-ab/runs").path("runs").get(0).path("decision");
        assertThat(decision.path("metric").asText()).isEqualTo("revenue");
        assertThat(decision.path("winner").asText()).as(decision.toString()).isEqualTo("b");
        assertThat(decision.path("arms").get(1).path("revenue").asDouble()).isEqualTo(300.0);
        assertThat(decision.path("arms").get(1).path("successes").asLong()).isEqualTo(2);
        assertThat(decision.path("arms").get(0).path("revenue").asDouble()).isEqualTo(20.0);
        assertThat(runtime.outbox().all()).as("everyone once").hasSize(people);
        assertThat(runtime.outbox().all().subList(test.size(), people)).as("the rest get b")
                .allSatisfy(e -> assertThat(e.email().tags().get("variant")).isEqualTo("b"));
    }

    /** The recipient of {@code sent} orders, redeeming the code it carried. */
    private void order(dev.kindling.local.LocalOutbox.Sent sent, long orderId, String total) throws Exception {
        Matcher m = CODE.matcher(sent.email().html());
        assertThat(m.find()).isTrue();
        ObjectNode order = OrdersEndToEndTest.order(sent.email().to(), orderId).put("total_price", total);
        String placed = clock.instant().plus(Duration.ofMinutes(20)).toString();
        order.put("created_at", placed).put("processed_at", placed).put("updated_at", placed);
        order.putArray("discount_codes").addObject().put("code", m.group());
        assertThat(client.shopify("orders/create", order).statusCode()).isEqualTo(200);
        idle();
    }

    @Test
    void aCampaignNamingNoSuchCouponIsRefusedWhenSaved() throws Exception {
        ok(client.admin("PUT", "/admin/segments/customers", "{\"name\": \"Customers\", \"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}",
                "application/json"));
        HttpResponse<String> refused = client.admin("PUT", "/admin/campaigns/spring", """
                audience: {segments: [customers]}
                message: {template: winter-sale, coupon: spring}
                """, "application/yaml");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("message.coupon: the shop has no coupon spring");
        HttpResponse<String> badCoupon = client.admin("PUT", "/admin/coupons/shared", "{\"source\": \"mail\", \"discount\": {\"percent\": 10}}",
                "application/json");
        assertThat(badCoupon.statusCode()).isEqualTo(400);
        assertThat(badCoupon.body()).contains("source: pool", "expiresAfter");
    }

    private static SendRequest request(String contactId, String key) {
        return new SendRequest("demo", contactId, "winter-sale", SendRequest.Kind.marketing, key, Json.object(), SendRequest.Tags.NONE, null,
                SendRequest.Pacing.BOTH, null, "winter", null);
    }

    /** The code the contact was given, as their message log's email shows it. */
    private String codeOf(String contactId) throws Exception {
        String email = client.adminJson("/admin/contacts/" + contactId).path("contact").path("email").asText();
        for (var sent : runtime.outbox().all()) {
            Matcher m = CODE.matcher(sent.email().html());
            if (sent.email().to().equals(email) && m.find()) return m.group();
        }
        var given = runtime.services().couponCodes();
        // not emailed yet (deferred): the pool's record of what the send was given
        for (String code : List.of("WINTER-A1", "WINTER-B2", "WINTER-C3", "WINTER-D4", "WINTER-E5")) {
            var g = given.find("demo", code);
            if (g.isPresent() && g.get().contactId().equals(contactId)) return code;
        }
        throw new AssertionError("no code given to " + contactId);
    }

    private void customer(String email, long id) throws Exception {
        ObjectNode customer = Json.read("""
                {"id": %d, "email": "%s", "created_at": "2026-11-01T10:00:00-05:00", "updated_at": "2026-11-01T10:00:00-05:00",
                 "first_name": "%s", "state": "enabled",
                 "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": "2026-11-01T10:00:00-05:00"}}
                """.formatted(id, email, email.substring(0, 1).toUpperCase() + email.substring(1, email.indexOf('@'))), ObjectNode.class);
        HttpResponse<String> sent = client.shopify("customers/create", customer);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        idle();
    }
}
