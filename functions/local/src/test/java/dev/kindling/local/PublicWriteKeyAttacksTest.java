package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.catalog.Product;
import dev.kindling.json.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 24's findings, each tried from outside the way an attacker would, with nothing but the shop's public write key
 * (it ships in every page of the shop) against the local runtime: each test failed on the code before the write key
 * became a claim. The shop's side (a signed Shopify webhook, the secret server key) sets the scene.
 */
class PublicWriteKeyAttacksTest extends WithSettableRuntime {
    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    static final String ATTACKER = "attacker@evil.test";

    PublicWriteKeyAttacksTest() {
        super(T0);
    }

    /** A customer who bought through Shopify (a signed webhook) and said yes to marketing at checkout. */
    JsonNode customer(String email, long orderId) throws Exception {
        return customer(email, orderId, "subscribed");
    }

    JsonNode customer(String email, long orderId, String marketing) throws Exception {
        ObjectNode order = AudienceEndToEndTest.order(email, "cust-" + orderId, "chk-" + orderId, orderId, T0.minus(Duration.ofHours(1)));
        ((ObjectNode) order.path("customer").path("email_marketing_consent")).put("state", marketing);
        assertThat(client.shopify("orders/create", order).statusCode()).isEqualTo(200);
        idle();
        return client.adminJson("/admin/contacts?email=" + email);
    }

    HttpResponse<String> track(String type, String json) throws Exception {
        return client.track(type, Json.read(json, ObjectNode.class));
    }

    @Test
    void twoIdentifiesWithTheWriteKeyCannotTakeOverACustomersProfile() throws Exception {
        JsonNode victim = customer("victim@example.com", 501);
        String victimId = victim.path("contact").path("contactId").asText();

        // a profile for the attacker's address that claims to be from 2000, then an identify naming the customer's user id
        assertThat(track("identify", """
                {"anonymousId": "evil-device", "messageId": "evil-1", "timestamp": "2000-01-01T00:00:00Z",
                 "traits": {"email": "%s", "first_name": "Mallory"}}""".formatted(ATTACKER)).statusCode()).isEqualTo(200);
        assertThat(track("identify", """
                {"userId": "cust-501", "messageId": "evil-2", "traits": {"email": "%s"}}""".formatted(ATTACKER)).statusCode()).isEqualTo(200);
        assertThat(track("identify", """
                {"userId": "cust-501", "anonymousId": "evil-device", "messageId": "evil-3", "traits": {"email": "%s"}}""".formatted(ATTACKER))
                .statusCode()).isEqualTo(200);
        idle();

        JsonNode after = client.adminJson("/admin/contacts?email=victim@example.com").path("contact");
        assertThat(after.path("contactId").asText()).as("the customer's profile is still the customer's").isEqualTo(victimId);
        assertThat(after.path("email").asText()).isEqualTo("victim@example.com");
        assertThat(after.path("userId").asText()).isEqualTo("cust-501");
        assertThat(after.path("mergedInto").isNull() || after.path("mergedInto").isMissingNode()).isTrue();
        assertThat(after.path("anonymousIds").toString()).as("the attacker's device is not linked to the customer").doesNotContain("evil-device");
        assertThat(after.path("commerce").path("orders").asInt()).isEqualTo(1);

        JsonNode attacker = client.adminJson("/admin/contacts?email=" + ATTACKER).path("contact");
        assertThat(attacker.path("contactId").asText()).isNotEqualTo(victimId);
        assertThat(attacker.path("commerce").path("orders").asInt()).as("no order of the customer's").isZero();
        assertThat(attacker.path("userId").isNull() || attacker.path("userId").isMissingNode()).as("the customer's user id stays theirs").isTrue();
        assertThat(attacker.path("firstSeen").asText()).as("the claimed year 2000 decides nothing").startsWith("2026-");
        String export = client.export(attacker.path("contactId").asText()).toString();
        assertThat(export).as("a data request for the attacker's address exports none of the customer's data")
                .doesNotContain("victim@example.com").doesNotContain("\"Jon\"");
    }

    @Test
    void aTrackedCheckoutCannotPutAPhishingLinkBehindTheShopsReturnToYourCartButton() throws Exception {
        customer("shopper@example.com", 502);
        assertThat(track("track", """
                {"anonymousId": "evil-device", "messageId": "evil-4", "event": "Checkout Started",
                 "properties": {"email": "shopper@example.com", "checkout_id": "evil-cart-1", "checkout_url": "https://evil.test/login",
                                "products": [{"product_id": "632910392", "name": "IPod Nano - 8GB", "price": 199,
                                              "url": "https://evil.test/p", "image_url": "https://evil.test/i.png"}]}}""").statusCode())
                .isEqualTo(200);
        // and dressed as a signed event: a source, a trust and a canonical event's properties inside its own properties
        assertThat(track("track", """
                {"anonymousId": "evil-device", "messageId": "evil-4b", "event": "Checkout Started",
                 "properties": {"email": "shopper@example.com", "checkout_id": "evil-cart-2", "source": "shopify", "trust": "authority",
                                "properties": {"checkout_url": "https://evil.test/login",
                                               "products": [{"product_id": "632910392", "name": "IPod Nano - 8GB", "price": 199,
                                                             "url": "https://evil.test/p", "image_url": "https://evil.test/i.png"}]}}}""")
                .statusCode()).isEqualTo(200);
        idle();
        skip(Duration.ofHours(1));

        List<LocalOutbox.Sent> reminders = runtime.outbox().all().stream()
                .filter(s -> s.email().to().equals("shopper@example.com") && "abandoned-checkout".equals(s.email().tags().get("template"))).toList();
        assertThat(reminders).as("the claims may start the reminder (behaviour), with the cart they named").hasSize(2);
        for (LocalOutbox.Sent reminder : reminders) assertThat(reminder.email().html()).contains("IPod Nano - 8GB").doesNotContain("evil.test");
    }

    @Test
    void aTrackedProductViewCannotRewriteTheCatalogNorATrackedOrderInflateItsSales() throws Exception {
        // the shop's backend (the secret server key) tells the product's facts
        assertThat(client.server("track", Json.read("""
                {"anonymousId": "shop-backend", "messageId": "shop-1", "event": "Product Viewed",
                 "properties": {"product_id": "p-77", "name": "Linen shirt", "price": "40.00",
                                "url": "https://shop.example.com/products/linen", "image_url": "https://shop.example.com/linen.png"}}""",
                ObjectNode.class)).statusCode()).isEqualTo(200);
        idle();
        assertThat(track("track", """
                {"anonymousId": "evil-device", "messageId": "evil-5", "event": "Product Viewed",
                 "properties": {"product_id": "p-77", "name": "FREE iPhone - claim it now", "price": "0.01",
                                "url": "https://evil.test/claim", "image_url": "https://evil.test/x.png"}}""").statusCode()).isEqualTo(200);
        assertThat(track("track", """
                {"anonymousId": "evil-device", "messageId": "evil-6", "event": "Order Completed",
                 "properties": {"order_id": "evil-order", "total": 40000, "products": [{"product_id": "p-77", "quantity": 1000}]}}""")
                .statusCode()).isEqualTo(200);
        idle();

        Product product = runtime.services().catalog().products("demo", List.of("p-77")).get("p-77");
        assertThat(product.title()).isEqualTo("Linen shirt");
        assertThat(product.price()).isEqualTo("40.00");
        assertThat(product.url()).isEqualTo("https://shop.example.com/products/linen");
        assertThat(product.image()).isEqualTo("https://shop.example.com/linen.png");
        assertThat(product.sold()).as("a tracked order is no sale").isZero();
    }

    @Test
    void aTrackedOrderCannotCancelReTotalOrRefundASignedOne() throws Exception {
        JsonNode victim = customer("buyer@example.com", 503);
        JsonNode commerceBefore = victim.path("contact").path("commerce");
        assertThat(commerceBefore.path("orders").asInt()).isEqualTo(1);
        String revenueBefore = client.adminJson("/admin/reports/revenue?from=2026-11-01&to=2026-11-30").toString();

        for (String properties : List.of("""
                {"order_id": "503", "total": 1, "currency": "USD"}""", """
                {"order_id": "503", "status": "cancelled"}""", """
                {"order_id": "503", "refunds": [{"refund_id": "evil-refund", "amount": 400}]}""")) {
            assertThat(track("track", """
                    {"userId": "cust-503", "messageId": "evil-%d", "event": "Order Completed", "properties": %s}"""
                    .formatted(properties.hashCode(), properties)).statusCode()).isEqualTo(200);
        }
        assertThat(track("track", """
                {"userId": "cust-503", "messageId": "evil-7", "event": "Order Cancelled", "properties": {"order_id": "503"}}""").statusCode())
                .isEqualTo(200);
        idle();

        JsonNode after = client.adminJson("/admin/contacts?email=buyer@example.com");
        assertThat(after.path("contact").path("commerce")).isEqualTo(commerceBefore);
        assertThat(after.path("stage").asText()).isEqualTo(victim.path("stage").asText());

        // nor does a tracked order make anyone a buyer: no order, no purchase stage, no thank-you
        assertThat(track("track", """
                {"anonymousId": "evil-device", "messageId": "evil-8", "event": "Order Completed",
                 "properties": {"email": "never.bought@example.com", "order_id": "evil-9", "total": 99, "currency": "USD"}}""").statusCode())
                .isEqualTo(200);
        idle();
        JsonNode faker = client.adminJson("/admin/contacts?email=never.bought@example.com");
        assertThat(faker.path("contact").path("commerce").path("orders").asInt()).isZero();
        assertThat(faker.path("stage").asText()).isNotEqualTo("purchase");
        assertThat(runtime.outbox().all()).noneMatch(m -> m.email().to().equals("never.bought@example.com"));
        assertThat(client.adminJson("/admin/reports/revenue?from=2026-11-01&to=2026-11-30").toString()).isEqualTo(revenueBefore);
    }

    @Test
    void anIdentifySayingSubscribedMeetsTheSameSignUpLimitsAsTheForm() throws Exception {
        List<Integer> strangers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            strangers.add(track("identify", """
                    {"anonymousId": "evil-%d", "messageId": "signup-%d",
                     "traits": {"email": "stranger%d@example.com", "first_name": "Click here", "email_marketing_consent": {"state": "subscribed"}}}"""
                    .formatted(i, i, i)).statusCode());
        }
        assertThat(strangers.subList(0, 20)).as("a household's sign-ups").containsOnly(200);
        assertThat(strangers.subList(20, 25)).as("a list of strangers from one address").containsOnly(429);

        runtime.close();
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock)); // a fresh shop: the per-address limit alone
        client = new RuntimeClient(runtime);
        List<Integer> oneAddress = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> answer = i % 2 == 0
                    ? track("identify", """
                    {"anonymousId": "evil-x%d", "messageId": "again-%d", "traits": {"email": "target@example.com", "email_marketing_consent": {"state": "subscribed"}}}"""
                    .formatted(i, i))
                    : client.send(java.net.http.HttpRequest.newBuilder(client.url("/email/demo/subscribe")).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\": \"target@example.com\"}")));
            oneAddress.add(answer.statusCode());
        }
        assertThat(oneAddress.subList(0, 5)).as("form and tracking count together").allMatch(s -> s == 200 || s == 202);
        assertThat(oneAddress.subList(5, 7)).containsOnly(429);
        idle();
        assertThat(runtime.outbox().all().stream().filter(s -> s.email().to().equals("target@example.com")).count())
                .as("confirmations to the address bombarded").isLessThanOrEqualTo(2);
    }

    @Test
    void thePublicFormNeverRenamesACustomer() throws Exception {
        customer("named@example.com", 504, "not_subscribed");
        client.send(java.net.http.HttpRequest.newBuilder(client.url("/email/demo/subscribe")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\": \"named@example.com\", \"first_name\": \"Idiot\"}")));
        idle();
        assertThat(client.adminJson("/admin/contacts?email=named@example.com").path("contact").path("traits").path("firstName").asText())
                .isEqualTo("Jon");
    }

    @Test
    void aRenderThatDoublesAStringIsStoppedAndTheAdminFunctionKeepsAnswering() throws Exception {
        String bomb = Json.write(Map.of("template", Map.of("subject", "x", "html",
                "{% assign s = 'xx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}")));
        HttpResponse<String> answer = client.admin("POST", "/admin/templates/bomb/render", bomb, "application/json");
        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(RuntimeClient.json(answer).path("message").asText()).contains("grew to");
        assertThat(client.adminJson("/admin/session").path("shop").path("id").asText()).isEqualTo("demo");
    }


}
