package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Identity;
import dev.kindling.handler.privacy.PrivacyHandler;
import dev.kindling.journey.asl.Execution;
import dev.kindling.json.Json;
import dev.kindling.send.Suppressions;
import dev.kindling.shop.Signatures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * GDPR / CCPA: a person with one of every item type the data model holds (profile and a merged one,
 * events, identities, delivery markers, scores, segments and member items, consent ledger, messages,
 * send ledger and bodies, journey entries and executions, suppression) is exported whole, then erased
 * so that no item of the whole table holds their id, address, phone or name.
 */
class PrivacyEndToEndTest extends WithLocalRuntime {
    static final String EMAIL = "erase.me@example.com";

    @Test
    void everyItemTypeIsExportedAndNothingOfThePersonIsLeftAfterTheErasure() throws Exception {
        // a segment they are in, an order (subscribed at checkout: consent ledger, thank-you message, post-purchase journey)
        client.admin("PUT", "/admin/segments/buyers", "{\"name\": \"Buyers\", \"condition\": {\"metric\": \"orders\", \"op\": \"gte\", \"value\": 1}}",
                "application/json");
        ObjectNode order = OrdersEndToEndTest.order(EMAIL, 9701);
        ((ObjectNode) order.get("customer")).put("first_name", "Erin").put("last_name", "Rasure").put("phone", "+14155550142")
                .putObject("email_marketing_consent").put("state", "subscribed").put("opt_in_level", "single_opt_in");
        ((ObjectNode) order.get("customer")).putObject("sms_marketing_consent").put("state", "subscribed").put("opt_in_level", "single_opt_in")
                .put("consent_collected_from", "SHOPIFY");
        order.put("phone", "+14155550142");
        assertThat(client.shopify("orders/create", order).statusCode()).isEqualTo(200);
        // the same customer as Shopify announces them, subscribed: the welcome journey's entry item (its re-entry rule)
        assertThat(client.shopify("customers/create", (ObjectNode) order.get("customer")).statusCode()).isEqualTo(200);
        // browsing anonymously first, then logged in: a merged profile; a product view: browse abandonment's start, to come
        // when its first wait (four hours) is over
        client.track("track", Json.read("""
                {"anonymousId": "anon-erase", "event": "Product Viewed", "messageId": "pv-erase-1", "properties": {"product_id": "p-1", "name": "Shirt", "price": 9}}""",
                ObjectNode.class));
        client.settle();
        String userId = order.path("customer").path("id").asText();
        client.track("identify", Json.read("""
                {"userId": "%s", "anonymousId": "anon-erase", "messageId": "id-erase", "context": {"user_hash": "%s"}}"""
                .formatted(userId, RuntimeClient.userHash(userId)), ObjectNode.class));
        client.settle();
        assertThat(runtime.journeys().awaitIdle(Duration.ofSeconds(30))).isTrue();
        client.settle();

        String contactId = client.adminJson("/admin/contacts?email=" + EMAIL).path("contact").path("contactId").asText();
        // a marketing email: the send ledger the frequency cap counts
        JsonNode sent = client.invoke("SendFunction", Json.object().put("shopId", "demo").put("contactId", contactId).put("template", "win-back")
                .put("kind", "marketing").put("idempotencyKey", "erase-wb"));
        assertThat(sent.path("status").asText()).as(sent.toString()).isEqualTo("sent");
        runtime.services().suppressions().suppress("demo", new Suppressions.Suppression(EMAIL, "complaint", "test", Instant.now()));
        // a text (the number it went to is remembered for replies), then a STOP from that number: the SMS side of a person
        ObjectNode textRequest = Json.object().put("shopId", "demo").put("contactId", contactId).put("template", "abandoned-checkout-text")
                .put("kind", "transactional").put("idempotencyKey", "erase-text");
        // with a link (on the shop's own domain), which goes as a short tracked one: an item of the person's too
        client.admin("PUT", "/admin/email/settings", "{\"linkDomains\": [\"shop.example.com\"]}", "application/json");
        textRequest.putObject("context").putObject("event").put("checkout_url", "https://shop.example.com/cart/erase");
        JsonNode texted = client.invoke("SendFunction", textRequest);
        assertThat(texted.path("status").asText()).as(texted.toString()).isEqualTo("sent");
        HttpResponse<String> stop = client.send(HttpRequest.newBuilder(client.url("/local/sms/inbound")).POST(HttpRequest.BodyPublishers.ofString("""
                {"originationNumber": "+14155550142", "destinationNumber": "+18885550100", "messageBody": "STOP", "inboundMessageId": "erase-stop"}""")));
        assertThat(stop.body()).contains("STOPPED");
        client.settle();
        JsonNode link = client.adminJson("/admin/contacts/" + contactId + "/export");
        JsonNode export = client.download(link);
        JsonNode items = export.path("items");
        List<String> types = new ArrayList<>();
        items.fieldNames().forEachRemaining(types::add);
        assertThat(types).as("every type of item the data model keeps for a person").contains("profile", "events", "scores", "segments",
                "consentLedger", "messages", "sendLedger", "messageBodies", "journeyEntries", "journeyExecutions", "identities",
                "segmentMembers", "suppression", "deliveries", "textedNumbers", "textLinks");
        assertThat(items.path("consentLedger").toString()).contains("sms_marketing", "sms keyword STOP");
        assertThat(items.path("messages").toString()).contains("\"channel\":\"sms\"");
        assertThat(types).as("an item in a person's partition whose type the export does not know").doesNotContain("unclassified");
        assertThat(export.path("profiles")).hasSizeGreaterThanOrEqualTo(2); // the merged anonymous profile too
        assertThat(items.path("messageBodies").toString()).contains("Erin"); // the rendered email, as sent
        List<String> running = runtime.journeys().executions().stream().filter(e -> !e.isDone() && e.input.path("contactId").asText().equals(contactId))
                .map(e -> e.name).toList();
        assertThat(running).isNotEmpty();
        List<String> toCome = runtime.journeys().scheduledStarts().keySet().stream().filter(name -> name.startsWith("demo-browse-abandonment-")).toList();
        assertThat(toCome).as("browse abandonment (of the anonymous profile, merged since), to start in four hours").hasSize(1);

        HttpResponse<String> erased = client.admin("DELETE", "/admin/contacts/" + contactId, null, null);
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        assertThat(client.admin("GET", "/admin/contacts/" + contactId, null, null).statusCode()).isEqualTo(404);
        assertThat(client.admin("GET", "/admin/contacts?email=" + EMAIL, null, null).statusCode()).isEqualTo(404);
        for (String name : running) assertThat(runtime.journeys().execution(name).status()).isEqualTo(Execution.Status.ABORTED);
        assertThat(runtime.journeys().scheduledStart(toCome.getFirst())).as("the start to come is cancelled too").isNull();
        // their export file went with them: the link handed out before no longer serves it
        assertThat(client.send(HttpRequest.newBuilder(URI.create(link.path("url").asText()))).statusCode()).isEqualTo(403);

        // the whole table: no item holds the person's ids, address, phone or names
        List<String> personal = new ArrayList<>(List.of(EMAIL, "+14155550142", "Erin", "Rasure", "anon-erase"));
        export.path("profiles").forEach(p -> personal.add(p.asText()));
        List<String> leftovers = new ArrayList<>();
        runtime.services().table().scan("", page -> page.forEach(item -> {
            String text = item.toString();
            for (String value : personal) if (text.contains(value)) leftovers.add(value + " in " + item.get("pk").s() + " / " + item.get("sk").s());
        }));
        assertThat(leftovers).isEmpty();
        // the journeys' executions (what Step Functions keeps in its history for 90 days, which no API deletes): their
        // input and every state carry ids only, so nothing of the person is in them, before the erasure or after
        List<String> inExecutions = new ArrayList<>();
        for (Execution execution : runtime.journeys().executions()) {
            String kept = Json.write(execution.snapshot());
            for (String value : List.of(EMAIL, "+14155550142", "Erin", "Rasure")) if (kept.contains(value)) inExecutions.add(value + " in " + execution.name);
        }
        assertThat(inExecutions).isEmpty();
        // the outbox stands in for SES, which keeps no copy of what it sent: the person's emails are gone from it
        assertThat(runtime.outbox().all()).noneMatch(email -> email.email().to().equalsIgnoreCase(EMAIL));
        assertThat(runtime.smsOutbox().all()).as("nor are their texts").noneMatch(text -> text.to().equals("+14155550142"));
        // the address that complained stays suppressed, as a salted hash only; so does the number that sent STOP
        assertThat(runtime.services().suppressions().get("demo", EMAIL)).isPresent();
        assertThat(runtime.services().suppressions().get("demo", "+14155550142")).isPresent();
        // and the audit says an export and an erasure happened, without naming the person
        List<Map<String, AttributeValue>> audit = new ArrayList<>();
        runtime.services().table().scan("S#demo#AUDIT", audit::addAll);
        assertThat(audit).extracting(i -> i.get("action").s()).contains("export", "erase");
        assertThat(audit).filteredOn(i -> List.of("export", "erase").contains(i.get("action").s())).extracting(i -> i.get("by").s())
                .as("who asked: the token's id, never the token").hasSizeGreaterThanOrEqualTo(2)
                .allMatch(by -> by.startsWith("admin API, admin token (plain, from the shop's record)") && !by.contains("demo-admin-token"));
    }

    /**
     * Lambda answers at most 6 MB, so an export is a file behind a link: a customer with over 10 MB of history (330
     * tracked events of 31 KB) is exported whole, the call itself answering a few hundred bytes. The link works once
     * for 15 minutes, as signed: altered, it is refused.
     */
    @Test
    void aTenMegabyteExportIsHandedOutAsALinkThatExpires() throws Exception {
        String note = "n".repeat(31_000);
        for (int batch = 0; batch < 22; batch++) {
            ObjectNode body = Json.object();
            var messages = body.putArray("batch");
            for (int i = 0; i < 15; i++) {
                messages.addObject().put("type", "track").put("userId", "big-history").put("event", "Note Taken")
                        .put("messageId", "big-" + batch + "-" + i).putObject("properties").put("note", note);
            }
            HttpResponse<String> accepted = client.server("batch", body);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        }
        client.settle();
        String contactId = runtime.services().contacts().lookup("demo", List.of(Identity.user("big-history"))).get(Identity.user("big-history"));

        HttpResponse<String> answer = client.admin("GET", "/admin/contacts/" + contactId + "/export", null, null);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body().length()).as("the call answers the link, not the export").isLessThan(1_000);
        JsonNode link = RuntimeClient.json(answer);
        assertThat(link.path("bytes").asInt()).isGreaterThan(10_000_000);
        Duration left = Duration.between(runtime.services().clock().instant(), Instant.parse(link.path("expiresAt").asText()));
        assertThat(left).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));
        JsonNode export = client.export(contactId);
        assertThat(export.path("items").path("events")).hasSize(330);

        String url = link.path("url").asText();
        assertThat(client.send(HttpRequest.newBuilder(URI.create(url.replaceAll("expires=\\d+", "expires=9999999999")))).statusCode())
                .as("a link stretched by hand").isEqualTo(403);
        assertThat(client.send(HttpRequest.newBuilder(URI.create(url.replace(contactId, "someone-else")))).statusCode())
                .as("another person's file by the same signature").isEqualTo(403);
    }

    /**
     * A shop too large to erase in one invocation: the first has no time at all here (a budget of zero), erases nothing,
     * and hands the rest on as a new privacy.requested; the runtime's PrivacyFunction takes it from the cursor and
     * finishes. On a runtime of its own, as it erases the whole shop.
     */
    @Test
    void aShopErasureThatRunsOutOfTimeHandsTheRestOnAndTheNextInvocationFinishesIt() throws Exception {
        try (LocalRuntime own = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking()))) {
            RuntimeClient shop = new RuntimeClient(own);
            for (int i = 0; i < 3; i++) assertThat(shop.shopify("orders/create", OrdersEndToEndTest.order("shop" + i + "@example.com", 9900 + i)).statusCode())
                    .isEqualTo(200);
            shop.settle();
            assertThat(own.journeys().awaitIdle(Duration.ofSeconds(30))).isTrue();
            var noTime = new PrivacyHandler(own.services().privacy(), own.services().shops(), own.bus(), own.services().clock(), Duration.ZERO);
            ObjectNode envelope = Json.object().put("source", "kindling.privacy").put("detail-type", "privacy.requested");
            envelope.putObject("detail").put("shopId", "demo").put("topic", "shop/redact").put("deliveryId", "redact-1");
            var out = new ByteArrayOutputStream();
            noTime.handleRequest(new ByteArrayInputStream(Json.write(envelope).getBytes(StandardCharsets.UTF_8)), out, null);
            JsonNode first = Json.read(out.toString(StandardCharsets.UTF_8), JsonNode.class);
            assertThat(first.path("done").asBoolean()).isFalse();
            assertThat(first.path("erasedItems").asInt()).isZero();

            shop.settle();
            List<Map<String, AttributeValue>> left = new ArrayList<>();
            own.services().table().scan("S#demo#", left::addAll);
            assertThat(left).as(left.toString()).allMatch(i -> i.get("pk").s().equals("S#demo#AUDIT"));
            assertThat(left).extracting(i -> i.get("action").s()).contains("erase-shop");
            assertThat(own.bus().deadLetters()).isZero();
        }
    }

    @Test
    void shopifysPrivacyWebhooksWorkSignedAndAreRefusedUnsigned() throws Exception {
        ObjectNode order = OrdersEndToEndTest.order("redact.me@example.com", 9801);
        client.shopify("orders/create", order);
        client.settle();
        String customerId = order.path("customer").path("id").asText();
        ObjectNode redact = Json.read("""
                {"shop_id": 954889, "shop_domain": "demo.myshopify.com", "customer": {"id": %s, "email": "redact.me@example.com"},
                 "orders_to_redact": [9801]}""".formatted(customerId), ObjectNode.class);

        // unsigned (or signed with another secret): refused, nothing erased
        HttpResponse<String> forged = client.send(HttpRequest.newBuilder(client.url("/webhooks/shopify/demo"))
                .header("X-Shopify-Topic", "customers/redact").header("X-Shopify-Webhook-Id", "forged-1")
                .header("X-Shopify-Hmac-Sha256", Signatures.hmacSha256Base64("not-the-secret", Json.write(redact).getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(redact))));
        assertThat(forged.statusCode()).isEqualTo(401);
        client.settle();
        assertThat(client.admin("GET", "/admin/contacts?email=redact.me@example.com", null, null).statusCode()).isEqualTo(200);

        // customers/data_request: recorded
        ObjectNode dataRequest = redact.deepCopy();
        dataRequest.putObject("data_request").put("id", 9999);
        assertThat(client.shopify("customers/data_request", dataRequest).statusCode()).isEqualTo(200);
        // customers/redact: the customer is gone
        assertThat(client.shopify("customers/redact", redact).statusCode()).isEqualTo(200);
        client.settle();
        assertThat(client.admin("GET", "/admin/contacts?email=redact.me@example.com", null, null).statusCode()).isEqualTo(404);
        List<Map<String, AttributeValue>> audit = new ArrayList<>();
        runtime.services().table().scan("S#demo#AUDIT", audit::addAll);
        assertThat(audit).extracting(i -> i.get("by").s()).anyMatch(by -> by.startsWith("Shopify customers/data_request"))
                .anyMatch(by -> by.startsWith("Shopify customers/redact"));

        // shop/redact: nothing of the shop is left
        client.shopify("orders/create", OrdersEndToEndTest.order("another@example.com", 9802));
        client.settle();
        assertThat(runtime.journeys().awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(client.shopify("shop/redact", Json.read("{\"shop_id\": 954889, \"shop_domain\": \"demo.myshopify.com\"}", ObjectNode.class))
                .statusCode()).isEqualTo(200);
        client.settle();
        List<Map<String, AttributeValue>> left = new ArrayList<>();
        runtime.services().table().scan("S#demo#", left::addAll);
        // what remains is the audit (of the redaction and of every request before it: the record the law asks the shop to
        // keep, with no personal data in it), and the marker of the shop/redact delivery itself (recorded as it was answered)
        assertThat(left).as(left.toString()).allMatch(i -> i.get("pk").s().equals("S#demo#AUDIT")
                || i.get("pk").s().startsWith("S#demo#D#") && !i.containsKey("contactId"));
        assertThat(left).filteredOn(i -> i.get("pk").s().equals("S#demo#AUDIT")).extracting(i -> i.get("by").s())
                .anyMatch(by -> by.startsWith("Shopify customers/data_request")).anyMatch(by -> by.startsWith("Shopify customers/redact"));
    }
}

