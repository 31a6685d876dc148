package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.coupon.Coupon;
import dev.kindling.coupon.PlatformCodes;
import dev.kindling.json.Json;
import dev.kindling.segment.SegmentParser;
import dev.kindling.shop.Shop;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Codes made per person on the shop's platform, against stand-ins of Shopify's Admin GraphQL API and WooCommerce's REST
 * API as far as their documentation goes: each person's own code, limited to them (Shopify's customer, WooCommerce's
 * email), used once, with the coupon's discount, minimum and expiry; the same send's key never makes a second code; an
 * order naming the code redeems it.
 */
class PlatformCouponsTest extends WithSettableRuntime {
    static final Instant T0 = Instant.parse("2026-12-05T15:00:00Z");

    PlatformCouponsTest() {
        super(T0);
    }

    @Test
    void shopifyMakesEachPersonTheirOwnCodeLimitedToThemAndTheSameKeyNeverMakesASecond() throws Exception {
        try (ShopifyAdminStandIn shopify = new ShopifyAdminStandIn(List.of(), List.of(), List.of())) {
            Shop demo = ShopsFile.DEMO.withShopifyAdmin(new Shop.ShopifyAdmin(shopify.url(), ShopifyAdminStandIn.TOKEN));
            restartWith(demo);
            ok(client.admin("PUT", "/admin/coupons/vip", """
                    {"name": "VIP 20%", "source": "shopify", "prefix": "VIP-", "discount": {"percent": 20}, "minimumOrder": 40, "expiresAfter": "P7D"}
                    """, "application/json"));
            String ann = customer("ann@example.com", 9001);
            String bob = customer("bob@example.com", 9002);
            String annCode = sendCode(ann, "vip-ann");
            String bobCode = sendCode(bob, "vip-bob");
            assertThat(annCode).startsWith("VIP-").hasSize(14).isNotEqualTo(bobCode);

            JsonNode made = shopify.discounts.get(annCode);
            assertThat(made.path("context").path("customers").path("add").get(0).asText()).as("Ann's alone").isEqualTo("gid://shopify/Customer/9001");
            assertThat(made.path("usageLimit").asInt()).isEqualTo(1);
            assertThat(made.path("appliesOncePerCustomer").asBoolean()).isTrue();
            assertThat(made.path("customerGets").path("value").path("percentage").decimalValue()).isEqualByComparingTo("0.2");
            assertThat(made.path("minimumRequirement").path("subtotal").path("greaterThanOrEqualToSubtotal").asText()).isEqualTo("40");
            assertThat(made.path("endsAt").asText()).isEqualTo(T0.plus(Duration.ofDays(7)).toString());

            // the same key again makes nothing; a try that made the code and failed before recording it makes it again as
            // the same code, which Shopify says exists: taken as made
            int emails = runtime.outbox().all().size();
            JsonNode again = client.invoke("SendFunction", Json.object().put("shopId", "demo").put("contactId", ann).put("template", "code")
                    .put("kind", "transactional").put("idempotencyKey", "vip-ann").put("coupon", "vip"));
            assertThat(again.path("status").asText()).isEqualTo("sent");
            assertThat(runtime.outbox().all()).as("the first result, no second email").hasSize(emails);
            Coupon vip = Coupon.parse("vip", SegmentParser.yamlTree("{source: shopify, prefix: VIP-, discount: {percent: 20}, expiresAfter: P7D}"));
            new PlatformCodes().make(demo, vip, annCode, new PlatformCodes.Person("ann@example.com", "9001"), T0, T0.plus(Duration.ofDays(7)));
            assertThat(shopify.discounts).hasSize(2);

            ObjectNode order = OrdersEndToEndTest.order("ann@example.com", 9701).put("total_price", "60.00");
            order.put("created_at", T0.toString()).put("processed_at", T0.toString()).put("updated_at", T0.toString());
            order.putArray("discount_codes").addObject().put("code", annCode).put("amount", "12.00").put("type", "percentage");
            assertThat(client.shopify("orders/create", order).statusCode()).isEqualTo(200);
            idle();
            assertThat(client.adminJson("/admin/coupons/vip/codes/" + annCode).path("redeemedBy").asText()).isEqualTo("9701");
            assertThat(client.adminJson("/admin/coupons/vip").path("remaining").isNull()).as("no pool to count").isTrue();
        }
    }

    @Test
    void wooCommerceMakesEachPersonTheirOwnCodeRestrictedToTheirEmail() throws Exception {
        try (WooCommerceStandIn woo = new WooCommerceStandIn(List.of(), List.of(), List.of())) {
            restartWith(ShopsFile.DEMO.withWooCommerceApi(new Shop.WooCommerceApi(woo.url(), WooCommerceStandIn.KEY, WooCommerceStandIn.SECRET)));
            ok(client.admin("PUT", "/admin/coupons/thanks", """
                    {"source": "woocommerce", "discount": {"amount": 5, "currency": "USD"}, "expiresAfter": "P30D"}
                    """, "application/json"));
            String ann = customer("ann@example.com", 9001);
            String code = sendCode(ann, "thanks-ann");
            assertThat(code).startsWith("THANKS-");
            JsonNode made = woo.coupons.get(code.toLowerCase());
            assertThat(made.path("email_restrictions").get(0).asText()).isEqualTo("ann@example.com");
            assertThat(made.path("discount_type").asText()).isEqualTo("fixed_cart");
            assertThat(made.path("amount").asText()).isEqualTo("5");
            assertThat(made.path("usage_limit").asInt()).isEqualTo(1);
            assertThat(made.path("date_expires_gmt").asText()).isEqualTo("2027-01-04T15:00:00");
            Coupon thanks = Coupon.parse("thanks", SegmentParser.yamlTree("{source: woocommerce, discount: {amount: 5, currency: USD}, expiresAfter: P30D}"));
            new PlatformCodes().make(runtime.services().shops().byId("demo").orElseThrow(), thanks, code,
                    new PlatformCodes.Person("ann@example.com", null), T0, T0.plus(Duration.ofDays(30)));
            assertThat(woo.coupons).as("made once").hasSize(1);
        }
    }

    @Test
    void aPlatformCouponIsRefusedWhenTheShopHasNotGivenThatPlatformsApi() throws Exception {
        HttpResponse<String> refused = client.admin("PUT", "/admin/coupons/vip", "{\"source\": \"shopify\", \"discount\": {\"percent\": 20}, \"expiresAfter\": \"P7D\"}",
                "application/json");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("source: the shop has no Shopify Admin API (shopifyAdmin) to make codes with");
    }

    /** Sends the person the coupon's email under a key; answers the code it carried. */
    private String sendCode(String contactId, String key) throws Exception {
        JsonNode sent = client.invoke("SendFunction", Json.object().put("shopId", "demo").put("contactId", contactId).put("template", "code")
                .put("kind", "transactional").put("idempotencyKey", key).put("coupon", key.substring(0, key.indexOf('-'))));
        assertThat(sent.path("status").asText()).as(sent.toString()).isEqualTo("sent");
        String html = runtime.outbox().all().getLast().email().html();
        Matcher m = Pattern.compile("CODE\\[([A-Z0-9-]+)]").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1);
    }

    private String customer(String email, long id) throws Exception {
        ObjectNode customer = Json.read("""
                {"id": %d, "email": "%s", "created_at": "2026-11-01T10:00:00-05:00", "updated_at": "2026-11-01T10:00:00-05:00",
                 "first_name": "Reader", "state": "enabled",
                 "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": "2026-11-01T10:00:00-05:00"}}
                """.formatted(id, email), ObjectNode.class);
        assertThat(client.shopify("customers/create", customer).statusCode()).isEqualTo(200);
        idle();
        return contactId(email);
    }

    /** The local runtime again with the demo shop as given (its platform's API), the journeys off and a template showing the code. */
    private void restartWith(Shop demo) throws Exception {
        runtime.close();
        Path shops = Files.createTempFile("shops", ".json");
        Files.writeString(shops, Json.write(Json.object().set("shops", Json.MAPPER.createArrayNode().add(Json.MAPPER.valueToTree(demo)))));
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, shops, clock));
        client = new RuntimeClient(runtime);
        for (String journey : List.of("welcome", "post-purchase")) ok(client.admin("PUT", "/admin/journeys/" + journey, "{\"enabled\": false}", "application/json"));
        ok(client.admin("PUT", "/admin/templates/code", "{\"subject\": \"Your code\", \"html\": \"<p>CODE[{{ coupon.code }}]</p>\"}", "application/json"));
    }
}
