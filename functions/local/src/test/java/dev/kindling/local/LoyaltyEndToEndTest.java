package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
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
 * The loyalty programme from outside: Shopify orders earn points (net of refunds), tiers follow, a reward code comes at
 * a threshold, the contact view and a template show where a person stands, and a friend's first order through an
 * advocate's signed referral link credits the advocate, while referring oneself is refused.
 */
class LoyaltyEndToEndTest extends WithSettableRuntime {
    static final Instant T0 = Instant.parse("2026-12-05T15:00:00Z");
    static final Pattern FRIEND_CODE = Pattern.compile("FRIEND-[A-Z0-9]+");

    LoyaltyEndToEndTest() {
        super(T0);
    }

    @BeforeEach
    void setUp() throws Exception {
        for (String journey : List.of("welcome", "post-purchase")) ok(client.admin("PUT", "/admin/journeys/" + journey, "{\"enabled\": false}", "application/json"));
        ok(client.admin("PUT", "/admin/coupons/silver-reward", """
                {"name": "Silver reward", "source": "pool", "codes": ["SILVER-1", "SILVER-2"], "discount": {"amount": 20, "currency": "USD"}, "expiresAfter": "P30D"}
                """, "application/json"));
        ok(client.admin("PUT", "/admin/coupons/friends", """
                {"name": "A friend's 10%", "source": "pool", "codes": ["FRIEND-A1", "FRIEND-B2", "FRIEND-C3"], "discount": {"percent": 10}, "expiresAfter": "P366D"}
                """, "application/json"));
        ok(client.admin("PUT", "/admin/coupons/thanks", """
                {"name": "Thanks for the referral", "source": "pool", "codes": ["THANKS-1", "THANKS-2"], "discount": {"amount": 15, "currency": "USD"}, "expiresAfter": "P60D"}
                """, "application/json"));
        ok(client.admin("PUT", "/admin/email/settings", """
                brand: {name: Demo shop, websiteUrl: "https://demo.example.com"}
                loyalty:
                  pointsPerUnit: 1
                  tiers: [{name: bronze, from: 0}, {name: silver, from: 500}, {name: gold, from: 1000}]
                  expiresAfter: P365D
                  rewards: [{points: 500, coupon: silver-reward}]
                  referral: {coupon: friends, reward: thanks}
                """, "application/yaml"));
    }

    @Test
    void aSixHundredDollarOrderShowsAsPointsAndTheTierTheProgrammeGivesAndARefundTakesThemBack() throws Exception {
        order("ann@example.com", 9001, "600.00", "+14155550101", null);
        String ann = contactId("ann@example.com");
        JsonNode view = client.adminJson("/admin/contacts/" + ann);
        JsonNode loyalty = view.path("loyalty");
        assertThat(loyalty.path("points").asLong()).as(view.toString()).isEqualTo(600);
        assertThat(loyalty.path("tier").asText()).isEqualTo("silver");
        assertThat(loyalty.path("nextTier").asText()).isEqualTo("gold");
        assertThat(loyalty.path("toNextTier").decimalValue()).isEqualByComparingTo("400");
        assertThat(loyalty.path("expiresAt").asText()).as("a year after they last earned").startsWith("2027-");
        String events = view.path("events").toString();
        assertThat(events).contains("Loyalty Tier Reached", "\"tier\":\"silver\"", "Loyalty Reward Earned", "SILVER-");

        // a template shows it, and the preference centre too
        ok(client.admin("PUT", "/admin/templates/points", """
                name: Your points
                subject: "You have {{ loyalty.points }} points"
                html: "<p>{{ loyalty.tier }}: {{ loyalty.to_next_tier }} more to {{ loyalty.next_tier }}. <a href='{{ links.preferences }}'>Preferences</a></p>"
                """, "application/yaml"));
        JsonNode sent = client.invoke("SendFunction", Json.object().put("shopId", "demo").put("contactId", ann).put("template", "points")
                .put("kind", "marketing").put("idempotencyKey", "points-1"));
        assertThat(sent.path("status").asText()).as(sent.toString()).isEqualTo("sent");
        var email = runtime.outbox().all().getLast().email();
        assertThat(email.subject()).isEqualTo("You have 600 points");
        assertThat(email.html()).contains("silver: 400 more to gold");
        Matcher preferences = Pattern.compile("href='([^']+/preferences[^']+)'").matcher(email.html());
        assertThat(preferences.find()).isTrue();
        String page = client.send(HttpRequest.newBuilder(URI.create(preferences.group(1).replace("&amp;", "&")))).body();
        assertThat(page).contains("600 points", "silver", "400 more points to gold");

        // a refund of $200 takes 200 points back, and with them the tier
        ok(client.shopify("refunds/create", RevenueEndToEndTest.refund(9001, 9101, "200.00", clock.instant())));
        idle();
        view = client.adminJson("/admin/contacts/" + ann);
        assertThat(view.path("loyalty").path("points").asLong()).isEqualTo(400);
        assertThat(view.path("loyalty").path("tier").asText()).isEqualTo("bronze");
        assertThat(view.path("events").toString()).contains("Loyalty Tier Lost");
        JsonNode report = client.adminJson("/admin/reports/loyalty?from=2026-12-05&to=2026-12-05").path("programme");
        assertThat(report.path("tiersReached").path("silver").asLong()).isEqualTo(1);
        assertThat(report.path("tiersLost").path("bronze").asLong()).isEqualTo(1);
        assertThat(report.path("rewardsGiven").asLong()).isEqualTo(1);

        // a year and a day without earning: the points lapse
        clock.advance(Duration.ofDays(366));
        assertThat(client.adminJson("/admin/contacts/" + ann).path("loyalty").path("points").asLong()).isZero();
    }

    @Test
    void aReferredFriendsFirstOrderCreditsTheAdvocateAndReferringOneselfIsRefused() throws Exception {
        order("ann@example.com", 9001, "120.00", "+14155550101", null);
        String ann = contactId("ann@example.com");
        long before = client.adminJson("/admin/contacts/" + ann).path("loyalty").path("points").asLong();
        assertThat(before).isEqualTo(120);

        // Ann's email carries her signed referral link; following it hands out her own code, on the shop, ready at checkout
        ok(client.admin("PUT", "/admin/templates/refer", """
                name: Refer a friend
                subject: "Give 10%, get $15"
                html: "<p><a href='{{ loyalty.referral_url }}'>Share</a></p>"
                """, "application/yaml"));
        JsonNode sent = client.invoke("SendFunction", Json.object().put("shopId", "demo").put("contactId", ann).put("template", "refer")
                .put("kind", "marketing").put("idempotencyKey", "refer-1"));
        assertThat(sent.path("status").asText()).as(sent.toString()).isEqualTo("sent");
        Matcher link = Pattern.compile("href='([^']+/r/demo\\?t=[^']+)'").matcher(runtime.outbox().all().getLast().email().html());
        assertThat(link.find()).isTrue();
        String referral = link.group(1).replace("&amp;", "&");
        HttpResponse<String> followed = client.send(HttpRequest.newBuilder(URI.create(referral)));
        assertThat(followed.statusCode()).isEqualTo(302);
        String location = followed.headers().firstValue("location").orElseThrow();
        assertThat(location).startsWith("https://demo.example.com/discount/FRIEND-");
        Matcher code = FRIEND_CODE.matcher(location);
        assertThat(code.find()).isTrue();
        String annCode = code.group();
        assertThat(client.send(HttpRequest.newBuilder(URI.create(referral))).headers().firstValue("location")).as("the same code every time")
                .hasValue(location);
        assertThat(client.send(HttpRequest.newBuilder(URI.create(referral.substring(0, referral.length() - 2) + "xx"))).statusCode())
                .as("a forged link").isEqualTo(404);

        // Bob's first order with Ann's code credits Ann: the referral's points and a thank-you code of her own
        order("bob@example.com", 9002, "80.00", "+14155550102", annCode);
        JsonNode annView = client.adminJson("/admin/contacts/" + ann);
        assertThat(annView.path("events").toString()).contains("Referral Converted", "THANKS-", contactId("bob@example.com"));
        assertThat(annView.path("loyalty").path("points").asLong()).as("120 spent and 200 for the referral").isEqualTo(320);
        // Bob's second order with the code is no referral; Ann's own order with it, or a friend at Ann's phone, are refused
        order("bob@example.com", 9003, "50.00", "+14155550102", annCode);
        order("ann@example.com", 9004, "30.00", "+14155550101", annCode);
        order("cat@example.com", 9005, "40.00", "(415) 555-0101", annCode);
        order("dan@example.com", 9006, "45.00", "+14155550104", annCode, "ann@example.com"); // to Ann's address
        order("eve@example.com", 9007, "35.00", "+14155550105", annCode);
        JsonNode report = client.adminJson("/admin/reports/loyalty?from=2026-12-05&to=2026-12-05").path("programme");
        assertThat(report.path("referrals").asLong()).as(report.toString()).isEqualTo(2);
        assertThat(report.path("referralRevenue").decimalValue()).isEqualByComparingTo("115.00");
        assertThat(report.path("referralsRefused").path("same_address").asLong()).isEqualTo(1);
        assertThat(report.path("referralsRefused").path("not_first_order").asLong()).isEqualTo(1);
        assertThat(report.path("referralsRefused").path("same_person").asLong()).isEqualTo(1);
        assertThat(report.path("referralsRefused").path("same_phone").asLong()).isEqualTo(1);
        assertThat(client.adminJson("/admin/contacts/" + ann).path("loyalty").path("points").asLong()).as("her own $30, and Eve's referral")
                .isEqualTo(550);
        // the shared code is never used up by a friend's order
        assertThat(client.adminJson("/admin/coupons/friends/codes/" + annCode).path("redeemed").asBoolean()).isFalse();
    }

    /** From the attacker's side: the public write key claims reviews and orders for a customer; none earns a point. */
    @Test
    void whatThePublicWriteKeyClaimsEarnsNoPoints() throws Exception {
        order("ann@example.com", 9001, "100.00", "+14155550101", null);
        String ann = contactId("ann@example.com");
        for (int i = 0; i < 20; i++) {
            ObjectNode review = Json.object().put("userId", "7097").put("event", "Review Submitted").put("messageId", "fake-review-" + i);
            review.putObject("properties").put("rating", 5);
            client.track("track", review);
            ObjectNode claimedOrder = Json.object().put("userId", "7097").put("event", "Order Completed").put("messageId", "fake-order-" + i);
            claimedOrder.putObject("properties").put("order_id", "fake-" + i).put("total", "5000.00").put("currency", "USD");
            client.track("track", claimedOrder);
        }
        idle();
        JsonNode loyalty = client.adminJson("/admin/contacts/" + ann).path("loyalty");
        assertThat(loyalty.path("points").asLong()).as("only the signed order's 100").isEqualTo(100);
        assertThat(loyalty.path("tier").asText()).isEqualTo("bronze");
    }

    @Test
    void theProgrammeIsCheckedWhenSavedEveryProblemNamed() throws Exception {
        HttpResponse<String> refused = client.admin("PUT", "/admin/email/settings", """
                loyalty:
                  pointsPerUnit: -1
                  tiers: [{name: Silver, from: 500}]
                  tierBy: visits
                  rewards: [{points: 100, coupon: nowhere}]
                """, "application/yaml");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("loyalty.pointsPerUnit: 0 to 1000", "loyalty.tiers[0].name", "loyalty.tiers: one tier from 0",
                "loyalty.tierBy: points or spend", "loyalty: the shop has no coupon nowhere");
    }

    /** A Shopify order for a customer with their own phone and address, optionally naming a discount code. */
    private void order(String email, long orderId, String total, String phone, String code) throws Exception {
        order(email, orderId, total, phone, code, email);
    }

    /** @param addressOf whose street the order ships to */
    private void order(String email, long orderId, String total, String phone, String code, String addressOf) throws Exception {
        ObjectNode order = OrdersEndToEndTest.order(email, orderId).put("total_price", total).put("phone", phone);
        String placed = clock.instant().toString();
        order.put("created_at", placed).put("processed_at", placed).put("updated_at", placed);
        ((ObjectNode) order.get("customer")).put("phone", phone).put("id", 7000 + email.charAt(0));
        ((ObjectNode) order.get("shipping_address")).put("address1", addressOf.charAt(0) + " Elm Street").put("zip", "K1A 0B1");
        if (code != null) order.putArray("discount_codes").addObject().put("code", code).put("amount", "8.00").put("type", "percentage");
        HttpResponse<String> sent = client.shopify("orders/create", order);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        idle();
    }
}
