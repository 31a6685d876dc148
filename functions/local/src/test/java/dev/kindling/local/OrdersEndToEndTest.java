package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.catalog.Product;
import dev.kindling.catalog.Recommendations;
import dev.kindling.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Orders count once and only when real: cancelled or voided at creation is no purchase; a later cancellation takes back what the order gave. */
class OrdersEndToEndTest extends WithLocalRuntime {

    /**
     * Shopify's documented orders/create payload (events/payloads), for another customer, placed an hour ago: a
     * week after the sample's own date the stage rules would rightly have moved the customer on to enjoyment.
     */
    static ObjectNode order(String email, long orderId) throws Exception {
        ObjectNode order = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("../../events/payloads/shopify-orders-create.json")));
        String placed = DaytimeClock.noonToday().minus(Duration.ofHours(1)).toString();
        order.put("id", orderId).put("email", email).put("contact_email", email).put("created_at", placed).put("processed_at", placed)
                .put("updated_at", placed);
        ((ObjectNode) order.get("customer")).put("id", orderId + 1).put("email", email);
        return order;
    }

    @Test
    void anOrderCancelledOrVoidedAsItIsCreatedIsNoPurchase() throws Exception {
        ObjectNode cancelled = order("cancelled.at.once@example.com", 9301).put("cancelled_at", "2026-11-20T10:16:00-05:00").put("cancel_reason", "fraud");
        ObjectNode voided = order("voided@example.com", 9302).put("financial_status", "voided");
        assertThat(client.shopify("orders/create", cancelled).statusCode()).isEqualTo(200);
        assertThat(client.shopify("orders/create", voided).statusCode()).isEqualTo(200);
        client.settle();
        assertThat(runtime.journeys().awaitIdle(Duration.ofSeconds(30))).isTrue();
        for (String email : new String[] {"cancelled.at.once@example.com", "voided@example.com"}) {
            JsonNode contact = client.adminJson("/admin/contacts?email=" + email);
            assertThat(contact.path("stage").asText()).as(email).isNotEqualTo("purchase");
            assertThat(contact.path("scores").path("intent").asDouble()).as(email).isZero();
            assertThat(contact.path("contact").path("commerce").path("orders").asInt()).as(email).isZero();
            assertThat(events(contact)).as(email).contains("Order Cancelled").doesNotContain("Order Completed");
            assertThat(runtime.outbox().all()).as(email + ": no thank-you").noneMatch(s -> s.email().to().equals(email));
        }
        assertThat(runtime.journeys().executions()).as("no post-purchase journey").noneMatch(e -> e.name.contains("post-purchase"));
    }

    @Test
    void moneyIsKeptPerCurrencyAndAnUnknownCurrencyAnAbsurdAmountOrAnEventTooLargeForTheBusAreRefused() throws Exception {
        // a shop in USD (its email settings' currency): one order in USD through Shopify, one in EUR through WooCommerce
        assertThat(client.shopify("orders/create", order("two.currencies@example.com", 9311)).statusCode()).isEqualTo(200);
        ObjectNode euros = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("../../events/payloads/woocommerce-order-created.json")));
        String placed = DaytimeClock.noonToday().minus(Duration.ofHours(1)).toString().replace("Z", "");
        euros.put("id", 9312).put("customer_id", 0).put("date_created_gmt", placed).put("date_created", placed).put("date_modified_gmt", placed);
        ((ObjectNode) euros.get("billing")).put("email", "two.currencies@example.com");
        assertThat(client.woo("order.created", euros).statusCode()).isEqualTo(200);
        client.settle();

        JsonNode commerce = client.adminJson("/admin/contacts?email=two.currencies@example.com").path("contact").path("commerce");
        assertThat(commerce.path("orders").asInt()).as("two purchases").isEqualTo(2);
        assertThat(commerce.path("currency").asText()).isEqualTo("USD");
        assertThat(commerce.path("totalSpent").decimalValue()).as("dollars only").isEqualByComparingTo("403.00");
        assertThat(commerce.path("orderCurrencies").path("9312").asText()).isEqualTo("EUR");
        String day = DaytimeClock.noonToday().toString().substring(0, 10);
        JsonNode revenue = client.adminJson("/admin/reports/revenue?from=" + day + "&to=" + day);
        assertThat(revenue.path("currency").asText()).isEqualTo("USD");
        assertThat(revenue.path("total").decimalValue()).isEqualByComparingTo("403.00");
        assertThat(revenue.path("otherCurrencies").path("EUR").path("orders").asLong()).isEqualTo(1);
        assertThat(revenue.path("otherCurrencies").path("EUR").path("revenue").decimalValue()).isEqualByComparingTo("29.35");

        // a currency that is none is refused at ingest, naming the field, and nothing is stored
        HttpResponse<String> refused = client.shopify("orders/create", order("bad.currency@example.com", 9313).put("currency", "DOGE$"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("properties.currency");
        assertThat(client.admin("GET", "/admin/contacts?email=bad.currency@example.com", null, null).statusCode()).isEqualTo(404);

        // so is an amount no order has (1e308, as the fuzzing sends): stored, its report sums failed on every retry
        HttpResponse<String> huge = client.shopify("orders/create", order("huge.total@example.com", 9314).put("total_price", 1e308));
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("properties.total");
        assertThat(client.admin("GET", "/admin/contacts?email=huge.total@example.com", null, null).statusCode()).isEqualTo(404);

        // and an order whose event is 256 KB or more on the bus (1,200 long line items; under Shopify's body limit and
        // under the 350 K characters once allowed): stored, it failed PutEvents on every retry; now 413 at the door
        ObjectNode large = order("large.order@example.com", 9315);
        ArrayNode items = large.putArray("line_items");
        for (int i = 0; i < 1_200; i++) {
            items.addObject().put("id", 9_000 + i).put("product_id", 100 + i).put("variant_id", 200 + i).put("sku", "SKU-" + i)
                    .put("title", "x".repeat(120) + i).put("quantity", 1).put("price", "1.00");
        }
        HttpResponse<String> tooLarge = client.shopify("orders/create", large);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("on the event bus").contains("262144");
        assertThat(client.admin("GET", "/admin/contacts?email=large.order@example.com", null, null).statusCode()).isEqualTo(404);
        client.settle();
        assertThat(runtime.bus().deadLetters()).isZero();
    }

    @Test
    void aLaterCancellationTakesBackTheOrdersFactsPointsAndStage() throws Exception {
        ObjectNode order = order("changed.mind@example.com", 9303);
        client.shopify("orders/create", order);
        client.settle();
        JsonNode before = client.adminJson("/admin/contacts?email=changed.mind@example.com");
        assertThat(before.path("stage").asText()).isEqualTo("purchase");
        assertThat(before.path("scores").path("intent").asDouble()).isEqualTo(30);

        String cancelled = DaytimeClock.noonToday().minus(Duration.ofMinutes(30)).toString();
        order.put("cancelled_at", cancelled).put("updated_at", cancelled);
        client.shopify("orders/cancelled", order);
        client.settle();
        JsonNode after = client.adminJson("/admin/contacts?email=changed.mind@example.com");
        assertThat(after.path("contact").path("commerce").path("orders").asInt()).isZero();
        assertThat(after.path("scores").path("intent").asDouble()).isZero();
        // the only order gone: out of purchase (to evaluation; with no intent left the default rules cool it off further)
        assertThat(after.path("stage").asText()).isNotEqualTo("purchase");
        assertThat(after.path("stageHistory").toString()).contains("\"rule\":\"only-order-cancelled\"");
    }

    private static List<String> events(JsonNode contact) {
        return StreamSupport.stream(contact.path("events").spliterator(), false).map(e -> e.path("event").asText()).toList();
    }

    @Test
    void theThankYouListsEveryLineWithItsVariantAndQuantityTheTotalAndTheOrdersName() throws Exception {
        ObjectNode order = order("every.line@example.com", 9501);
        ((ObjectNode) order.get("customer")).putObject("email_marketing_consent").put("state", "subscribed");
        ArrayNode lines = (ArrayNode) order.get("line_items");
        ((ObjectNode) lines.get(1)).put("quantity", 2);
        // a line with no product behind it (gift wrap, a custom item) and a name with an HTML entity, as shops send them
        lines.addObject().put("id", 77).putNull("product_id").putNull("variant_id").put("title", "Gift wrap &ndash; gold").put("price", "5.00")
                .put("quantity", 1).putNull("variant_title");
        client.shopify("orders/create", order);
        client.settle();
        assertThat(runtime.journeys().awaitIdle(Duration.ofSeconds(30))).isTrue();
        client.settle();
        var thanks = runtime.outbox().all().stream().filter(s -> s.email().to().equals("every.line@example.com")
                && "order-thank-you".equals(s.email().tags().get("template"))).findFirst().orElseThrow().email();
        assertThat(thanks.subject()).isEqualTo("Thank you for your order #9999").doesNotContain("9501");
        assertThat(thanks.html()).contains("IPod Nano - 8GB", "Pink", "Black", "&times; 2", "Gift wrap \u2013 gold", "$403.00", "order #9999")
                .doesNotContain("&amp;ndash;");
    }

    @Test
    void recommendationsNeverOfferAFreeProduct() throws Exception {
        // a free sample sold with a shirt many times, and a real product sold with it once
        for (int i = 0; i < 3; i++) {
            ObjectNode order = order("buyer" + i + "@example.com", 9600 + i);
            ArrayNode lines = (ArrayNode) order.putArray("line_items");
            lines.addObject().put("id", 1).put("product_id", 7001).put("title", "Linen shirt").put("price", "49.00").put("quantity", 1);
            lines.addObject().put("id", 2).put("product_id", 7002).put("title", "Free sample").put("price", "0.00").put("quantity", 1);
            if (i == 0) lines.addObject().put("id", 3).put("product_id", 7003).put("title", "Canvas tote").put("price", "19.50").put("quantity", 1);
            client.shopify("orders/create", order);
        }
        client.settle();
        var recommended = new Recommendations(runtime.services().catalog()).recommend("demo", List.of("7001"), Set.of(), 4);
        assertThat(recommended).extracting(Product::title).contains("Canvas tote").doesNotContain("Free sample");
    }
}

