package dev.kindling.ingest;

import static dev.kindling.ingest.Fixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.contact.Identity;
import dev.kindling.event.ConsentChange;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.json.Json;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class IngestApiTest {
    final Fixture f = new Fixture();

    Contact contactByEmail(String email) {
        String id = f.store.lookup("demo", List.of(Identity.email(email))).get(Identity.email(email));
        assertThat(id).as("contact for " + email).isNotNull();
        return f.store.current("demo", id).orElseThrow();
    }

    /** How many events the person's history holds (their own profile's and those merged into it). */
    int eventsOf(Contact person) {
        return f.store.recentEvents("demo", person.historyIds(), 1000).size();
    }

    static JsonNode body(HttpResponse response) {
        return Json.read(response.body(), JsonNode.class);
    }

    void assertNothingStored() {
        assertThat(f.store.eventCount()).isZero();
        assertThat(f.store.contactCount()).isZero();
        assertThat(f.published).isEmpty();
    }

    @Nested
    class Shopify {
        @Test
        void aRefundCarriedOnAnUpdatedOrderIsSubtractedOnceFromWhatTheCustomerSpent() {
            JsonNode order = Json.read(payload("shopify-orders-create.json"), JsonNode.class);
            String total = order.path("total_price").asText();
            f.send(Fixture.shopify("orders/create", "w-r1", Json.write(order)));
            // Shopify's orders/updated after a 10.00 refund: current_total_price already nets it, and the refund is listed
            ObjectNode updated = order.deepCopy();
            updated.put("updated_at", "2026-11-22T09:00:00-05:00")
                    .put("current_total_price", new BigDecimal(total).subtract(BigDecimal.TEN).toPlainString());
            updated.putArray("refunds").addObject().put("id", 5501).put("created_at", "2026-11-22T09:00:00-05:00")
                    .putArray("transactions").addObject().put("kind", "refund").put("status", "success").put("amount", "10.00");
            f.send(Fixture.shopify("orders/updated", "w-r2", Json.write(updated)));
            Contact jon = contactByEmail("jon@example.com");
            assertThat(jon.commerce().totalSpent()).isEqualByComparingTo(new BigDecimal(total).subtract(BigDecimal.TEN));
            assertThat(jon.commerce().orders()).isEqualTo(1);
        }

        @Test
        void theSameShopifyEventUnderOtherWebhookIdsIsStoredOnce() {
            String order = payload("shopify-orders-create.json");
            // one event, delivered to two subscriptions (two webhook ids), and again after a timeout
            f.send(Fixture.shopifyEvent("orders/create", "w-a", "evt-1", order));
            f.send(Fixture.shopifyEvent("orders/create", "w-b", "evt-1", order));
            f.send(Fixture.shopifyEvent("orders/create", "w-c", "evt-1", order));
            assertThat(f.store.eventCount()).isEqualTo(1);
            // without an event id: the order's id, the topic and updated_at say it is the same occurrence
            f.send(Fixture.shopify("orders/updated", "w-d", order));
            assertThat(f.send(Fixture.shopify("orders/updated", "w-e", order)).body()).contains("duplicate");
            assertThat(f.store.eventCount()).isEqualTo(2);
            // a real update (a later updated_at) is a new occurrence
            JsonNode updated = Json.read(order, JsonNode.class);
            ((ObjectNode) updated).put("updated_at", "2026-11-21T09:00:00-05:00");
            f.send(Fixture.shopify("orders/updated", "w-f", Json.write(updated)));
            assertThat(f.store.eventCount()).isEqualTo(3);
        }

        @Test
        void orderCreatesAContactWithTheOrderAndItsConsent() {
            HttpResponse response = f.send(Fixture.shopify("orders/create", "w-1", payload("shopify-orders-create.json")));

            assertThat(response.status()).isEqualTo(200);
            assertThat(body(response).get("status").asText()).isEqualTo("accepted");
            Contact jon = contactByEmail("jon@example.com");
            assertThat(jon.userId()).isEqualTo("115310627314723954");
            assertThat(jon.commerce().orders()).isEqualTo(1);
            assertThat(jon.commerce().totalSpent()).isEqualByComparingTo("403.00");
            assertThat(jon.commerce().currency()).isEqualTo("USD");
            assertThat(jon.traits().firstName()).isEqualTo("Jon");
            assertThat(jon.traits().country()).isEqualTo("CA");
            assertThat(jon.consent().get(ConsentChange.EMAIL_MARKETING).state()).isEqualTo(ConsentChange.State.granted);
            assertThat(jon.consent().get(ConsentChange.EMAIL_MARKETING).evidence()).contains("orders/create", "w-1");
            var event = f.published.getFirst().event();
            assertThat(event.event()).isEqualTo("Order Completed");
            assertThat(event.properties().get("products")).hasSize(2);
            assertThat(event.properties().at("/products/0/sku").asText()).isEqualTo("IPOD2008PINK");
            assertThat(event.properties().get("shipping").asText()).isEqualTo("5.00");
        }

        @Test
        void aDeliveryReplayedThreeTimesIsStoredOnceAndEachReplayIsTheSameEventOnTheBus() {
            HttpRequest request = Fixture.shopify("orders/create", "w-1", payload("shopify-orders-create.json"));
            for (int i = 0; i < 4; i++) assertThat(f.send(request).status()).isEqualTo(200);

            assertThat(body(f.send(request)).get("status").asText()).isEqualTo("duplicate");
            assertThat(f.store.eventCount()).isEqualTo(1);
            // published again each time (nothing records that the first reached the bus), the same message, which subscribers dedupe
            assertThat(f.published).hasSize(5).extracting(e -> e.event().messageId()).containsOnly(f.published.getFirst().event().messageId());
            assertThat(contactByEmail("jon@example.com").commerce().orders()).isEqualTo(1);
        }

        @Test
        void theSameOrderThroughCreatePaidAndUpdatedCountsOnce() {
            String order = payload("shopify-orders-create.json");
            f.send(Fixture.shopify("orders/create", "w-1", order));
            f.send(Fixture.shopify("orders/paid", "w-2", order));
            f.send(Fixture.shopify("orders/updated", "w-3", order));

            Contact jon = contactByEmail("jon@example.com");
            assertThat(jon.commerce().orders()).isEqualTo(1);
            assertThat(jon.commerce().totalSpent()).isEqualByComparingTo("403.00");
            assertThat(f.store.eventCount()).isEqualTo(3);
        }

        @Test
        void aRefundNamingOnlyTheOrderReachesTheCustomerAndCountsOnce() {
            f.send(Fixture.shopify("orders/create", "w-1", payload("shopify-orders-create.json")));
            String refund = """
                    {"id": 509562969, "order_id": 820982911946154508, "created_at": "2026-11-21T10:00:00-05:00",
                     "transactions": [{"id": 1, "kind": "refund", "status": "success", "amount": "41.94"}]}""";
            f.send(Fixture.shopify("refunds/create", "r-1", refund));
            f.send(Fixture.shopify("refunds/create", "r-1-redelivered-with-new-id", refund));

            Contact jon = contactByEmail("jon@example.com");
            assertThat(jon.commerce().totalSpent()).isEqualByComparingTo(new BigDecimal("403.00").subtract(new BigDecimal("41.94")));
            assertThat(f.store.contactCount()).isEqualTo(1);
        }

        @Test
        void cancellingTakesTheOrderBackOut() {
            f.send(Fixture.shopify("orders/create", "w-1", payload("shopify-orders-create.json")));
            f.send(Fixture.shopify("orders/cancelled", "w-2", payload("shopify-orders-create.json")
                    .replace("\"cancelled_at\": null", "\"cancelled_at\": \"2026-11-21T10:00:00-05:00\"")));
            assertThat(contactByEmail("jon@example.com").commerce().orders()).isZero();
        }

        @Test
        void aCartThenACheckoutThenAnOrderAreOnePerson() {
            f.send(Fixture.shopify("carts/create", "c-1", """
                    {"id": "eeafa272cebfd4b22385bc4b645e762c", "token": "eeafa272cebfd4b22385bc4b645e762c",
                     "line_items": [{"product_id": 1, "variant_id": 2, "title": "Mug", "quantity": 2, "price": "9.50", "line_price": "19.00"}]}"""));
            f.send(Fixture.shopify("checkouts/create", "k-1", payload("shopify-checkouts-create.json")));

            assertThat(f.store.contactCount()).as("the cart's anonymous profile became Anne's").isEqualTo(1);
            Contact anne = contactByEmail("anne@example.com");
            assertThat(eventsOf(anne)).isEqualTo(2);
            assertThat(anne.anonymousIds()).contains("shopify-cart:eeafa272cebfd4b22385bc4b645e762c");
            var checkout = f.published.get(1).event();
            assertThat(checkout.event()).isEqualTo("Checkout Started");
            assertThat(checkout.properties().get("checkout_url").asText()).startsWith("https://checkout.local/");
            assertThat(checkout.properties().at("/products/0/image_url").asText()).endsWith("ipod-pink.jpg");
            assertThat(anne.consent().get(ConsentChange.EMAIL_MARKETING).state()).isEqualTo(ConsentChange.State.not_given);
        }

        @Test
        void aWrongSignatureIs401AndStoresNothing() {
            HttpResponse response = f.send(Fixture.shopify("orders/create", "w-1", payload("shopify-orders-create.json"), "not-the-secret"));
            assertThat(response.status()).isEqualTo(401);
            assertThat(body(response).get("error").asText()).isEqualTo("unauthorized");
            assertNothingStored();
        }

        @Test
        void aBodyEditedAfterSigningIs401() {
            HttpRequest signed = Fixture.shopify("orders/create", "w-1", payload("shopify-orders-create.json"));
            byte[] edited = new String(signed.body(), StandardCharsets.UTF_8).replace("403.00", "4.03").getBytes(StandardCharsets.UTF_8);
            HttpRequest forged = new HttpRequest(signed.routeKey(), signed.path(), signed.pathParameters(), Map.of(), signed.headers(), edited, null);
            assertThat(f.send(forged).status()).isEqualTo(401);
            assertNothingStored();
        }

        @Test
        void anUnknownShopIs401() {
            HttpRequest signed = Fixture.shopify("orders/create", "w-1", payload("shopify-orders-create.json"));
            HttpRequest other = new HttpRequest(signed.routeKey(), "/webhooks/shopify/nope", Map.of("shopId", "nope"), Map.of(),
                    signed.headers(), signed.body(), null);
            assertThat(f.send(other).status()).isEqualTo(401);
            assertNothingStored();
        }

        @Test
        void malformedJsonIs400NamingTheProblem() {
            HttpResponse response = f.send(Fixture.shopify("orders/create", "w-1", "{\"id\": 1, "));
            assertThat(response.status()).isEqualTo(400);
            assertThat(body(response).get("message").asText()).contains("not valid JSON");
            assertNothingStored();
        }

        @Test
        void aMissingRequiredFieldIs400NamingIt() {
            HttpResponse response = f.send(Fixture.shopify("orders/create", "w-1", "{\"email\": \"a@b.example\"}"));
            assertThat(response.status()).isEqualTo(400);
            assertThat(body(response).get("message").asText()).contains("'id'");
            assertNothingStored();
        }

        @Test
        void aMissingWebhookIdHeaderIs400() {
            HttpRequest signed = Fixture.shopify("orders/create", "w-1", payload("shopify-orders-create.json"));
            var headers = new HashMap<>(signed.headers());
            headers.remove("x-shopify-webhook-id");
            HttpResponse response = f.send(new HttpRequest(signed.routeKey(), signed.path(), signed.pathParameters(), Map.of(), headers, signed.body(), null));
            assertThat(response.status()).isEqualTo(400);
            assertThat(body(response).get("message").asText()).contains("x-shopify-webhook-id");
            assertNothingStored();
        }

        /**
         * EventBridge takes an entry of less than 256 KB, counted in UTF-8 bytes. An order within Shopify's body limit
         * whose event would be larger (1,200 line items with long titles) is refused at the door, and so is one that is
         * short in characters but long in bytes (the titles in Japanese, 3 bytes a character): nothing is stored that
         * could never be published.
         */
        @Test
        void anEventTheBusCannotCarryIs413AndNothingIsStored() {
            for (String letter : List.of("x", "\u5546")) {
                ObjectNode order = Json.read(payload("shopify-orders-create.json"), ObjectNode.class);
                ArrayNode items = order.putArray("line_items");
                int count = letter.equals("x") ? 1_200 : 700;
                for (int i = 0; i < count; i++) {
                    items.addObject().put("id", 9_000 + i).put("product_id", 100 + i).put("variant_id", 200 + i).put("sku", "SKU-" + i)
                            .put("title", letter.repeat(120) + i).put("quantity", 1).put("price", "1.00");
                }
                String body = Json.write(order);
                assertThat(body.length()).as("characters: under what the old limit counted").isLessThan(350 * 1024);
                assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThan(IngestApi.MAX_WEBHOOK_BYTES);
                HttpResponse response = f.send(Fixture.shopify("orders/create", "w-big-" + letter, body));
                assertThat(response.status()).as(response.body()).isEqualTo(413);
                assertThat(body(response).path("message").asText()).contains("EventBridge takes an event of less than 262144 bytes");
                assertNothingStored();
            }
        }

        @Test
        void anOversizedBodyIs413() {
            String huge = "{\"id\": 1, \"note\": \"" + "x".repeat(IngestApi.MAX_WEBHOOK_BYTES) + "\"}";
            assertThat(f.send(Fixture.shopify("orders/create", "w-1", huge)).status()).isEqualTo(413);
            assertNothingStored();
        }

        @Test
        void anUnknownTopicIs200AndRecordedAsIgnored() {
            HttpResponse response = f.send(Fixture.shopify("products/create", "p-1", "{\"id\": 1}"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(body(response).get("status").asText()).isEqualTo("ignored");
            assertThat(body(f.send(Fixture.shopify("products/create", "p-1", "{\"id\": 1}"))).get("status").asText()).isEqualTo("duplicate");
            assertNothingStored();
        }
    }

    @Nested
    class WooCommerce {
        @Test
        void orderCreatedMakesACustomerWithOneOrderAndReplaysAreStoredOnce() {
            HttpRequest request = Fixture.woo("order.created", "d-1", payload("woocommerce-order-created.json"), "demo-woo-secret");
            for (int i = 0; i < 4; i++) assertThat(f.send(request).status()).isEqualTo(200);

            Contact marie = contactByEmail("marie@example.com");
            assertThat(marie.userId()).isEqualTo("26");
            assertThat(marie.commerce().orders()).isEqualTo(1);
            assertThat(marie.commerce().totalSpent()).isEqualByComparingTo("29.35");
            assertThat(marie.commerce().currency()).isEqualTo("EUR");
            assertThat(marie.traits().country()).isEqualTo("FR");
            assertThat(f.store.eventCount()).isEqualTo(1);
            assertThat(f.published.getFirst().event().properties().at("/products/0/image_url").asText()).endsWith("woo-1.jpg");
        }

        @Test
        void theUnsignedPingSentOnWebhookCreationIs200AndStoresNothing() {
            byte[] ping = "webhook_id=12".getBytes(StandardCharsets.UTF_8);
            HttpResponse response = f.send(new HttpRequest(IngestApi.WOOCOMMERCE_ROUTE, "/webhooks/woocommerce/demo",
                    Map.of("shopId", "demo"), Map.of(), Map.of("content-type", "application/x-www-form-urlencoded"), ping, null));
            assertThat(response.status()).isEqualTo(200);
            assertNothingStored();
        }

        @Test
        void aForgedSignatureIs401AndStoresNothing() {
            assertThat(f.send(Fixture.woo("order.created", "d-1", payload("woocommerce-order-created.json"), "guess")).status()).isEqualTo(401);
            assertNothingStored();
        }

        @Test
        void aPendingOrderIsACheckoutAndPayingItMakesTheOrder() {
            String pending = payload("woocommerce-order-created.json").replace("\"processing\"", "\"pending\"");
            f.send(Fixture.woo("order.created", "d-1", pending, "demo-woo-secret"));
            assertThat(f.published.getFirst().event().event()).isEqualTo("Checkout Started");
            assertThat(contactByEmail("marie@example.com").commerce().orders()).isZero();

            f.send(Fixture.woo("order.updated", "d-2", payload("woocommerce-order-created.json"), "demo-woo-secret"));
            assertThat(contactByEmail("marie@example.com").commerce().orders()).isEqualTo(1);
        }

        @Test
        void malformedMissingAndOversizedAreRefusedAndStoreNothing() {
            HttpResponse malformed = f.send(Fixture.woo("order.created", "d-1", "{\"id\": ", "demo-woo-secret"));
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(body(malformed).get("message").asText()).contains("not valid JSON");

            HttpRequest signed = Fixture.woo("order.created", "d-2", payload("woocommerce-order-created.json"), "demo-woo-secret");
            var headers = new HashMap<>(signed.headers());
            headers.remove("x-wc-webhook-delivery-id");
            HttpResponse missing = f.send(new HttpRequest(signed.routeKey(), signed.path(), signed.pathParameters(), Map.of(), headers, signed.body(), null));
            assertThat(missing.status()).isEqualTo(400);
            assertThat(body(missing).get("message").asText()).contains("x-wc-webhook-delivery-id");

            String huge = "{\"id\": 1, \"pad\": \"" + "x".repeat(IngestApi.MAX_WEBHOOK_BYTES) + "\"}";
            assertThat(f.send(Fixture.woo("order.created", "d-3", huge, "demo-woo-secret")).status()).isEqualTo(413);
            assertThat(f.send(Fixture.woo("order.created", "d-4", "{\"status\": \"processing\"}", "demo-woo-secret")).status()).isEqualTo(400);
            assertNothingStored();
        }

        @Test
        void aPingWithASignatureHeaderIsAWebhookAndMustVerify() {
            byte[] ping = "webhook_id=12".getBytes(StandardCharsets.UTF_8);
            HttpResponse response = f.send(new HttpRequest(IngestApi.WOOCOMMERCE_ROUTE, "/webhooks/woocommerce/demo",
                    Map.of("shopId", "demo"), Map.of(), Map.of("x-wc-webhook-signature", "forged"), ping, null));
            assertThat(response.status()).isEqualTo(401);
            assertNothingStored();
        }

        @Test
        void productTopicsAreIgnored() {
            HttpResponse response = f.send(Fixture.woo("product.updated", "d-9", "{\"id\": 5}", "demo-woo-secret"));
            assertThat(body(response).get("status").asText()).isEqualTo("ignored");
            assertNothingStored();
        }
    }

    @Nested
    class Tracking {
        @Test
        void anAnonymousTrackThenIdentifyMergeIntoOneKnownContact() {
            assertThat(f.send(Fixture.tracking("track", payload("tracking-track.json"))).status()).isEqualTo(200);
            assertThat(f.send(Fixture.tracking("identify", payload("tracking-identify.json"))).status()).isEqualTo(200);

            Contact grace = contactByEmail("grace@example.com");
            assertThat(grace.userId()).isEqualTo("u-4471");
            assertThat(grace.anonymousIds()).containsExactly("507f191e810c19729de860ea");
            assertThat(eventsOf(grace)).isEqualTo(2);
            assertThat(grace.traits().birthday()).isEqualTo("1906-12-09");
            assertThat(grace.traits().timeZone()).isEqualTo("America/New_York");
            assertThat(grace.traits().custom().get("plan").asText()).isEqualTo("gold");
            assertThat(f.store.recentEvents("demo", grace.historyIds(), 10)).extracting(e -> e.type().wireName())
                    .containsExactly("identify", "track");
        }

        @Test
        void identifyBeforeTrackAlsoGivesOneContact() {
            f.send(Fixture.tracking("identify", payload("tracking-identify.json")));
            f.send(Fixture.tracking("track", payload("tracking-track.json")));
            assertThat(f.store.contactCount()).isEqualTo(1);
            assertThat(eventsOf(contactByEmail("grace@example.com"))).isEqualTo(2);
        }

        @Test
        void aliasMergesThePreviousIdIntoTheUser() {
            f.send(Fixture.tracking("track", payload("tracking-track.json")));
            f.send(Fixture.tracking("alias", """
                    {"previousId": "507f191e810c19729de860ea", "userId": "u-9", "messageId": "a-1"}"""));
            String owner = f.store.lookup("demo", List.of(Identity.user("u-9"))).get(Identity.user("u-9"));
            assertThat(eventsOf(f.store.current("demo", owner).orElseThrow())).isEqualTo(2);
        }

        @Test
        void aliasBetweenTwoUserIdsLinksTheNewIdToTheFirstUsersContactForGood() {
            f.send(Fixture.tracking("identify", """
                    {"userId": "u-old", "messageId": "i-1", "traits": {"email": "old@example.com"}}"""));
            // the shop's backend says so (the server key): a browser's alias is a claim, and links no user to another
            f.send(Fixture.server("alias", """
                    {"previousId": "u-old", "userId": "u-new", "messageId": "a-2"}"""));
            f.send(Fixture.tracking("track", """
                    {"userId": "u-new", "event": "Product Viewed", "messageId": "t-9"}"""));
            Contact contact = contactByEmail("old@example.com");
            assertThat(f.store.lookup("demo", List.of(Identity.user("u-new")))).containsValue(contact.contactId());
            assertThat(f.store.contactCount()).isEqualTo(1);
            assertThat(eventsOf(contact)).isEqualTo(3);
        }

        @Test
        void theLibrariesPathsGzipBodiesAndTheWriteKeyInTheBodyAreAccepted() throws Exception {
            String track = """
                    {"type": "track", "event": "Product Viewed", "anonymousId": "gz", "messageId": "%s", "writeKey": "demo-write-key"}""";
            // RudderStack's SDKs gzip; analytics.js posts to /v1/t as text/plain; analytics-java to /v1/import/
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (var gz = new GZIPOutputStream(zipped)) {
                gz.write(track.formatted("g-1").getBytes(StandardCharsets.UTF_8));
            }
            HttpRequest gzipped = new HttpRequest(IngestApi.TRACKING_ROUTE, "/v1/track", Map.of("type", "track"), Map.of(),
                    Map.of("content-encoding", "gzip", "content-type", "application/json"), zipped.toByteArray(), "127.0.0.1");
            assertThat(f.send(gzipped).status()).isEqualTo(200);
            HttpRequest shortPath = new HttpRequest(IngestApi.TRACKING_ROUTE, "/v1/t", Map.of("type", "t"), Map.of(),
                    Map.of("content-type", "text/plain"), track.formatted("g-2").getBytes(StandardCharsets.UTF_8), "127.0.0.1");
            HttpResponse answer = f.send(shortPath);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.headers()).containsEntry("access-control-allow-origin", "*");
            String batch = "{\"writeKey\": \"demo-write-key\", \"batch\": [" + track.formatted("g-3") + "]}";
            assertThat(f.send(new HttpRequest(IngestApi.TRACKING_ROUTE, "/v1/import/", Map.of("type", "import/"), Map.of(),
                    Map.of(), batch.getBytes(StandardCharsets.UTF_8), "127.0.0.1")).status()).isEqualTo(200);
            assertThat(f.store.eventCount()).isEqualTo(3);

            // a gzip bomb is refused, not expanded
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            try (var gz = new GZIPOutputStream(bomb)) {
                gz.write(new byte[2_000_000]);
            }
            HttpResponse refused = f.send(new HttpRequest(IngestApi.TRACKING_ROUTE, "/v1/track", Map.of("type", "track"), Map.of(),
                    Map.of("content-encoding", "gzip"), bomb.toByteArray(), "127.0.0.1"));
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.headers()).as("the page can read the refusal").containsEntry("access-control-allow-origin", "*");
        }

        @Test
        void segmentsWebhooksDestinationIsAcceptedWhenSignedWithTheSharedSecretOnly() throws Exception {
            byte[] body = """
                    {"type": "track", "event": "Order Completed", "userId": "seg-1", "messageId": "sw-1",
                     "properties": {"order_id": "5", "total": 10}}""".getBytes(StandardCharsets.UTF_8);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec("demo-segment-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String signature = HexFormat.of().formatHex(mac.doFinal(body));
            HttpRequest signed = new HttpRequest(IngestApi.SEGMENT_WEBHOOK_ROUTE, "/webhooks/segment/demo", Map.of("shopId", "demo"), Map.of(),
                    Map.of("x-signature", signature), body, "127.0.0.1");
            assertThat(f.send(signed).status()).isEqualTo(200);
            HttpRequest forged = new HttpRequest(IngestApi.SEGMENT_WEBHOOK_ROUTE, "/webhooks/segment/demo", Map.of("shopId", "demo"), Map.of(),
                    Map.of("x-signature", signature.replace(signature.charAt(0), signature.charAt(0) == 'a' ? 'b' : 'a')), body, "127.0.0.1");
            assertThat(f.send(forged).status()).isEqualTo(401);
            assertThat(f.send(new HttpRequest(IngestApi.SEGMENT_WEBHOOK_ROUTE, "/webhooks/segment/demo", Map.of("shopId", "demo"), Map.of(),
                    Map.of(), body, "127.0.0.1")).status()).isEqualTo(401);
            assertThat(f.store.eventCount()).isEqualTo(1);
        }

        @Test
        void theWriteKeyCanAddANameOrAnEmailButNotReplaceWhatASignedWebhookSet() {
            f.send(Fixture.shopify("orders/create", "wh-names", payload("shopify-orders-create.json")));
            Contact jon = contactByEmail("jon@example.com");
            // knowing the customer's user id (or email) and the public write key is not enough to rename or redirect them
            f.send(Fixture.tracking("identify", """
                    {"userId": "%s", "messageId": "evil-1", "traits": {"email": "attacker@example.net", "firstName": "<a href=x>Win</a>",
                     "lastName": "Prize", "phone": "+15550000000", "plan": "gold"}}""".formatted(jon.userId())));
            Contact after = f.store.current("demo", jon.contactId()).orElseThrow();
            assertThat(after.email()).isEqualTo("jon@example.com");
            assertThat(after.traits().firstName()).isEqualTo(jon.traits().firstName());
            assertThat(after.traits().lastName()).isEqualTo(jon.traits().lastName());
            assertThat(after.traits().phone()).isEqualTo(jon.traits().phone());
            assertThat(after.traits().custom().get("plan").asText()).as("other traits may be set").isEqualTo("gold");
            assertThat(f.store.lookup("demo", List.of(Identity.email("attacker@example.net")))).as("nor claim the address").isEmpty();

            // a visitor the shop knows nothing about may name themselves
            f.send(Fixture.tracking("identify", """
                    {"anonymousId": "visitor-7", "messageId": "v-1", "traits": {"email": "new.visitor@example.com", "firstName": "Vi"}}"""));
            assertThat(contactByEmail("new.visitor@example.com").traits().firstName()).isEqualTo("Vi");
        }

        @Test
        void aGroupCallsTraitsBelongToTheGroupNotToThePerson() {
            f.send(Fixture.tracking("identify", """
                    {"userId": "u-grp", "messageId": "g-0", "traits": {"email": "ann@example.com", "firstName": "Ann"}}"""));
            f.send(Fixture.tracking("group", """
                    {"userId": "u-grp", "groupId": "acme", "messageId": "g-1",
                     "traits": {"name": "Acme Corp", "email": "billing@acme.example", "industry": "retail", "employees": 40}}"""));
            Contact ann = contactByEmail("ann@example.com");
            assertThat(ann.traits().firstName()).isEqualTo("Ann");
            assertThat(ann.traits().custom() == null || !ann.traits().custom().has("industry")).isTrue();
            assertThat(f.store.lookup("demo", List.of(Identity.email("billing@acme.example")))).isEmpty();
            JsonNode group = f.published.getLast().event().properties();
            assertThat(group.path("group_id").asText()).isEqualTo("acme");
            assertThat(group.path("group_traits").path("name").asText()).isEqualTo("Acme Corp");
        }

        @Test
        void twoKnownUsersSharingADeviceAreNotMerged() {
            f.send(Fixture.tracking("identify", """
                    {"userId": "alice", "anonymousId": "shared-tablet", "messageId": "m1", "traits": {"email": "alice@example.com"}}"""));
            f.send(Fixture.tracking("identify", """
                    {"userId": "bob", "anonymousId": "shared-tablet", "messageId": "m2", "traits": {"email": "bob@example.com"}}"""));
            assertThat(contactByEmail("alice@example.com").contactId()).isNotEqualTo(contactByEmail("bob@example.com").contactId());
            assertThat(contactByEmail("bob@example.com").userId()).isEqualTo("bob");
        }

        @Test
        void theClockSkewOfTheDeviceIsCorrected() {
            f.send(Fixture.tracking("track", """
                    {"event": "Product Viewed", "anonymousId": "a", "messageId": "m",
                     "timestamp": "2020-01-01T00:00:00Z", "sentAt": "2020-01-01T00:00:10Z"}"""));
            assertThat(f.published.getFirst().event().timestamp()).isEqualTo(Fixture.CLOCK.instant().minusSeconds(10));
        }

        @Test
        void aCallThatArrivesWithinTheTripOfItsSentAtKeepsItsStatedTime() {
            // 1.5 s between the device's sentAt and our receipt: the network (or a clock a little off), not worth a
            // correction that would differ with each retry
            Instant stated = Fixture.CLOCK.instant().minusSeconds(30);
            f.send(Fixture.tracking("track", """
                    {"event": "Product Viewed", "anonymousId": "a", "messageId": "m",
                     "timestamp": "%s", "sentAt": "%s"}""".formatted(stated, Fixture.CLOCK.instant().minusMillis(1500))));
            assertThat(f.published.getFirst().event().timestamp()).isEqualTo(stated);
        }

        @Test
        void aBatchIsAcceptedWholeAndItsReplayStoresNothingNew() {
            String batch = "{\"batch\": [" + payload("tracking-track.json").replace("\"type\": \"track\"", "\"type\": \"track\"")
                    + "," + payload("tracking-identify.json") + "], \"sentAt\": \"2026-11-20T11:01:00.100Z\"}";
            assertThat(f.send(Fixture.tracking("batch", batch)).status()).isEqualTo(200);
            assertThat(f.send(Fixture.tracking("batch", batch)).status()).isEqualTo(200);
            assertThat(f.store.eventCount()).isEqualTo(2);
            assertThat(f.published).hasSize(4);
            assertThat(f.published.subList(2, 4)).isEqualTo(f.published.subList(0, 2));
        }

        @Test
        void aBatchWithOneBadMessageIs400NamingItAndStoresNothing() {
            String batch = "{\"batch\": [" + payload("tracking-track.json") + ", {\"type\": \"track\", \"anonymousId\": \"x\"}]}";
            HttpResponse response = f.send(Fixture.tracking("batch", batch));
            assertThat(response.status()).isEqualTo(400);
            assertThat(body(response).get("message").asText()).contains("batch[1]", "event is required");
            assertNothingStored();
        }

        @Test
        void aWrongWriteKeyIs401AndStoresNothing() {
            assertThat(f.send(Fixture.tracking("track", payload("tracking-track.json"), "guess")).status()).isEqualTo(401);
            assertNothingStored();
        }

        @Test
        void aTrackWithoutAnyIdIs400() {
            HttpResponse response = f.send(Fixture.tracking("track", "{\"event\": \"Product Viewed\"}"));
            assertThat(response.status()).isEqualTo(400);
            assertThat(body(response).get("message").asText()).contains("userId or anonymousId");
            assertNothingStored();
        }

        @Test
        void aBadTimestampIs400NamingTheField() {
            HttpResponse response = f.send(Fixture.tracking("track", "{\"event\": \"E\", \"anonymousId\": \"a\", \"timestamp\": \"yesterday\"}"));
            assertThat(response.status()).isEqualTo(400);
            assertThat(body(response).get("message").asText()).contains("timestamp");
            assertNothingStored();
        }

        @Test
        void aMessageOver32KbIs413AndABatchOver500KbToo() {
            String big = "{\"event\": \"E\", \"anonymousId\": \"a\", \"properties\": {\"x\": \"" + "y".repeat(33 * 1024) + "\"}}";
            assertThat(f.send(Fixture.tracking("track", big)).status()).isEqualTo(413);
            assertThat(f.send(Fixture.tracking("batch", "{\"batch\": [" + big + "]}")).status()).isEqualTo(413);
            String manySmall = "{\"batch\": [" + String.join(",", Collections.nCopies(40,
                    "{\"type\":\"track\",\"event\":\"E\",\"anonymousId\":\"a\",\"properties\":{\"x\":\"" + "y".repeat(13 * 1024) + "\"}}")) + "]}";
            assertThat(f.send(Fixture.tracking("batch", manySmall)).status()).isEqualTo(413);
            assertNothingStored();
        }

        @Test
        void malformedJsonIs400() {
            HttpResponse response = f.send(Fixture.tracking("track", "{\"event\": \"E\", "));
            assertThat(response.status()).isEqualTo(400);
            assertThat(body(response).get("message").asText()).contains("not valid JSON");
            assertThat(f.send(Fixture.tracking("track", "[1, 2]")).status()).isEqualTo(400);
            assertThat(f.send(Fixture.tracking("batch", "{\"batch\": \"no\"}")).status()).isEqualTo(400);
            assertThat(f.send(Fixture.tracking("track", "{\"event\": \"E\", \"anonymousId\": \"a\", \"properties\": [1]}")).status()).isEqualTo(400);
            assertNothingStored();
        }

        @Test
        void anUnknownCallIs404() {
            assertThat(f.send(Fixture.tracking("purchase", "{\"anonymousId\": \"a\"}")).status()).isEqualTo(404);
            assertNothingStored();
        }

        @Test
        void theWriteKeyMayComeInTheBodyAsAnalyticsJsSendsIt() {
            String body = payload("tracking-track.json").replaceFirst("\\{", "{\"writeKey\": \"demo-write-key\",");
            HttpResponse response = f.send(new HttpRequest(IngestApi.TRACKING_ROUTE, "/v1/track", Map.of("type", "track"), Map.of(),
                    Map.of("content-type", "text/plain"), body.getBytes(StandardCharsets.UTF_8), null));
            assertThat(response.status()).isEqualTo(200);
            assertThat(f.store.eventCount()).isEqualTo(1);
        }
    }
}
