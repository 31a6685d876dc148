package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import org.junit.jupiter.api.Test;

/** What a visitor earned before being known survives the identify that merges them into the customer. */
class IdentityMergeEndToEndTest extends WithLocalRuntime {

    @Test
    void withoutTheServersUserHashTheSameIdentifyLinksNothing() throws Exception {
        ObjectNode order = OrdersEndToEndTest.order("unverified.buyer@example.com", 9411);
        client.shopify("orders/create", order);
        client.settle();
        String customerId = client.adminJson("/admin/contacts?email=unverified.buyer@example.com").path("contact").path("contactId").asText();
        client.track("track", Json.read("""
                {"anonymousId": "anon-9411", "event": "Product Viewed", "messageId": "pv-9411", "properties": {"product_id": "p-1"}}""", ObjectNode.class));
        String userId = order.path("customer").path("id").asText();
        assertThat(client.track("identify", Json.read("""
                {"userId": "%s", "anonymousId": "anon-9411", "messageId": "id-9411"}""".formatted(userId), ObjectNode.class)).statusCode())
                .isEqualTo(200);
        assertThat(client.track("identify", Json.read("""
                {"userId": "%s", "anonymousId": "anon-9411", "messageId": "id-9412", "context": {"user_hash": "%s"}}"""
                .formatted(userId, "0".repeat(64)), ObjectNode.class)).statusCode()).as("a forged user_hash is refused").isEqualTo(400);
        client.settle();
        JsonNode customer = client.adminJson("/admin/contacts?email=unverified.buyer@example.com");
        assertThat(customer.path("contact").path("contactId").asText()).isEqualTo(customerId);
        assertThat(customer.path("contact").path("anonymousIds").toString()).doesNotContain("anon-9411");
    }

    @Test
    void scoresAndStageEarnedWhileAnonymousSurviveTheMerge() throws Exception {
        ObjectNode order = OrdersEndToEndTest.order("known.buyer@example.com", 9401);
        client.shopify("orders/create", order);
        client.settle();
        JsonNode customer = client.adminJson("/admin/contacts?email=known.buyer@example.com");
        double engagementBefore = customer.path("scores").path("engagement").asDouble();

        // the same person browsing logged out: an anonymous profile earns engagement points
        for (int i = 0; i < 3; i++) {
            assertThat(client.track("track", Json.read("""
                    {"anonymousId": "anon-9401", "event": "Product Viewed", "messageId": "pv-9401-%d",
                     "properties": {"product_id": "p-%d", "name": "Shirt", "price": 20}}""".formatted(i, i), ObjectNode.class)).statusCode())
                    .isEqualTo(200);
        }
        client.settle();
        // then logs in: identify with the customer's user id, vouched for by the shop's server (user_hash, the HMAC of the
        // user id with its server key), and the same anonymous id merges the two profiles
        String userId = order.path("customer").path("id").asText();
        client.track("identify", Json.read("""
                {"userId": "%s", "anonymousId": "anon-9401", "messageId": "id-9401", "context": {"user_hash": "%s"}}"""
                .formatted(userId, RuntimeClient.userHash(userId)), ObjectNode.class));
        client.settle();

        JsonNode merged = client.adminJson("/admin/contacts?email=known.buyer@example.com");
        assertThat(merged.path("contact").path("contactId").asText()).isEqualTo(customer.path("contact").path("contactId").asText());
        assertThat(merged.path("contact").path("anonymousIds").toString()).contains("anon-9401");
        // 3 product views at 3 engagement points each, earned while anonymous, are the customer's now
        assertThat(merged.path("scores").path("engagement").asDouble()).isGreaterThanOrEqualTo(engagementBefore + 9 - 0.1);
        assertThat(merged.path("stage").asText()).isEqualTo(customer.path("stage").asText());
    }
}
