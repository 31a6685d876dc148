package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * CCPA's "do not sell or share": from the browser's Global Privacy Control signal on a tracking call, or
 * from the shop on the person's behalf through the admin API; on the profile, in the consent ledger with
 * its evidence, in the export, and on every later bus event of theirs (ingested events, segment changes)
 * as {@code doNotSell}, which a rule forwarding to an outbound integration filters on.
 */
class DoNotSellEndToEndTest extends WithLocalRuntime {

    @Test
    void aGlobalPrivacyControlSignalOptsThePersonOutOnceAndMarksTheirEventsOnTheBus() throws Exception {
        assertThat(trackWithGpc("identify", "{\"userId\": \"gpc-1\", \"messageId\": \"gpc-a\", \"traits\": {\"email\": \"gpc@example.com\"}}")).isEqualTo(200);
        client.settle();
        assertThat(trackWithGpc("track", "{\"userId\": \"gpc-1\", \"messageId\": \"gpc-b\", \"event\": \"Product Viewed\", \"properties\": {\"product_id\": \"p-1\"}}"))
                .isEqualTo(200);
        client.settle();

        JsonNode view = client.adminJson("/admin/contacts?email=gpc@example.com");
        assertThat(view.path("doNotSell").asBoolean()).isTrue();
        String contactId = view.path("contact").path("contactId").asText();
        JsonNode export = client.export(contactId);
        assertThat(export.path("doNotSell").asBoolean()).isTrue();
        List<JsonNode> ledger = ledger(export, "sale_and_sharing");
        assertThat(ledger).as("recorded once, when it changed the person's state").hasSize(1);
        assertThat(ledger.getFirst().toString()).contains("withdrawn").contains("Global Privacy Control (Sec-GPC: 1)");
        assertThat(ingested("gpc-b").path("detail").path("doNotSell").asBoolean()).as("the event on the bus says so").isTrue();
    }

    @Test
    void theShopRecordsADoNotSellRequestForThePersonAndTheirLaterEventsAndSegmentChangesCarryIt() throws Exception {
        client.admin("PUT", "/admin/segments/buyers", "{\"name\": \"Buyers\", \"condition\": {\"metric\": \"orders\", \"op\": \"gte\", \"value\": 1}}",
                "application/json");
        assertThat(client.shopify("orders/create", AudienceEndToEndTest.order("asks@example.com", "asks-cust", "asks-1", 9801, DaytimeClock.noonToday())).statusCode()).isEqualTo(200);
        client.settle();
        String contactId = client.adminJson("/admin/contacts?email=asks@example.com").path("contact").path("contactId").asText();
        assertThat(ingestedFor(contactId).path("detail").path("doNotSell").asBoolean()).as("not opted out yet").isFalse();

        String path = "/admin/contacts/" + contactId + "/do-not-sell";
        assertThat(client.admin("PUT", path, "{\"doNotSell\": \"yes\"}", "application/json").body()).contains("doNotSell must be true or false");
        assertThat(client.admin("PUT", "/admin/contacts/no-such-person/do-not-sell", "{\"doNotSell\": true}", "application/json").statusCode()).isEqualTo(404);
        HttpResponse<String> done = client.admin("PUT", path, "{\"doNotSell\": true, \"evidence\": \"web form 'Do Not Sell or Share', ticket 4411\"}",
                "application/json");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        client.settle();
        assertThat(client.adminJson("/admin/contacts/" + contactId).path("doNotSell").asBoolean()).isTrue();
        assertThat(ledger(client.export(contactId), "sale_and_sharing").getFirst().toString())
                .contains("ticket 4411").contains("admin API");
        assertThat(client.adminJson("/admin/audit").toString()).contains("PUT /admin/contacts/{id}/do-not-sell");

        // their next order: its event and the segment change it causes both carry the flag
        client.admin("PUT", "/admin/segments/repeat", "{\"name\": \"Repeat\", \"condition\": {\"metric\": \"orders\", \"op\": \"gte\", \"value\": 2}}",
                "application/json");
        assertThat(client.shopify("orders/create", AudienceEndToEndTest.order("asks@example.com", "asks-cust", "asks-2", 9802, DaytimeClock.noonToday())).statusCode()).isEqualTo(200);
        client.settle();
        assertThat(ingestedFor(contactId).path("detail").path("doNotSell").asBoolean()).isTrue();
        JsonNode entered = runtime.bus().recent(LocalBus.KEPT).stream().filter(e -> e.path("detail-type").asText().equals("segment.entered"))
                .filter(e -> e.path("detail").path("segmentId").asText().equals("repeat")).findFirst()
                .orElseThrow(() -> new AssertionError("no segment.entered for repeat: " + runtime.bus().recent(20)));
        assertThat(entered.path("detail").path("doNotSell").asBoolean()).isTrue();

        assertThat(client.admin("PUT", path, "{\"doNotSell\": false, \"evidence\": \"opted back in by email\"}", "application/json").statusCode()).isEqualTo(200);
        client.settle();
        assertThat(client.adminJson("/admin/contacts/" + contactId).path("doNotSell").asBoolean()).as("opted back in").isFalse();
    }

    int trackWithGpc(String type, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(client.url("/v1/" + type)).header("Content-Type", "application/json").header("Sec-GPC", "1")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("demo-write-key:".getBytes(StandardCharsets.UTF_8)))
                .POST(BodyPublishers.ofString(body))).statusCode();
    }

    static List<JsonNode> ledger(JsonNode export, String purpose) {
        return StreamSupport.stream(export.path("items").path("consentLedger").spliterator(), false)
                .filter(entry -> entry.toString().contains(purpose)).toList();
    }

    JsonNode ingested(String messageId) {
        return runtime.bus().recent(LocalBus.KEPT).stream().filter(e -> e.path("detail-type").asText().equals("Event Ingested"))
                .filter(e -> e.path("detail").path("event").path("messageId").asText().equals(messageId)).findFirst().orElseThrow();
    }

    /** The latest ingested event of the contact on the bus. */
    JsonNode ingestedFor(String contactId) {
        return runtime.bus().recent(LocalBus.KEPT).stream().filter(e -> e.path("detail-type").asText().equals("Event Ingested"))
                .filter(e -> e.path("detail").path("contactId").asText().equals(contactId)).findFirst().orElseThrow();
    }
}
