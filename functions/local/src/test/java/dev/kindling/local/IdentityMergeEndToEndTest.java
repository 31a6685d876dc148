package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import org.junit.jupiter.api.Test;

/** What a visitor earned before being known survives the identify that merges them into the customer. */
class IdentityMergeEndToEndTest extends WithLocalRuntime {

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
        // then logs in: identify with the customer's user id and the same anonymous id merges the two profiles
        client.track("identify", Json.read("""
                {"userId": "%s", "anonymousId": "anon-9401", "messageId": "id-9401"}""".formatted(order.path("customer").path("id").asText()),
                ObjectNode.class));
        client.settle();

        JsonNode merged = client.adminJson("/admin/contacts?email=known.buyer@example.com");
        assertThat(merged.path("contact").path("contactId").asText()).isEqualTo(customer.path("contact").path("contactId").asText());
        assertThat(merged.path("contact").path("anonymousIds").toString()).contains("anon-9401");
        // 3 product views at 3 engagement points each, earned while anonymous, are the customer's now
        assertThat(merged.path("scores").path("engagement").asDouble()).isGreaterThanOrEqualTo(engagementBefore + 9 - 0.1);
        assertThat(merged.path("stage").asText()).isEqualTo(customer.path("stage").asText());
    }
}
