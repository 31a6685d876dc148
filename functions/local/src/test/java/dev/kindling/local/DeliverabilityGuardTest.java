package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/** A shop whose bounce rate passes 4% has its marketing email paused (before SES's review at 5%) until it resumes it. */
class DeliverabilityGuardTest extends WithSettableRuntime {
    // a clock the test holds: the runtime then sends without the account's rate (250 sends in milliseconds, not 18 s)
    DeliverabilityGuardTest() {
        super(DaytimeClock.noonToday());
    }

    /** AWS's documented SES event record, as a Send or a Bounce of one of the shop's messages. */
    PutEventsRequestEntry sesEvent(String eventType, String contactId, String messageId) throws Exception {
        ObjectNode detail = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("../../events/payloads/ses-bounce.json"))
                .replace("recipient@example.com", "list-" + UUID.randomUUID() + "@example.com"));  // the bounced address: another list member
        detail.put("eventType", eventType);
        String now = clock.instant().toString();
        ((ObjectNode) detail.get("mail")).put("timestamp", now);
        if (eventType.equals("Bounce")) ((ObjectNode) detail.get("bounce")).put("timestamp", now);
        else detail.remove("bounce");
        ObjectNode tags = (ObjectNode) detail.path("mail").path("tags");
        tags.putArray("shop").add("demo");
        tags.putArray("contact").add(contactId);
        tags.putArray("message").add(messageId);
        tags.putArray("campaign").add("newsletter");
        return PutEventsRequestEntry.builder().source("aws.ses").detailType("Email " + eventType).detail(Json.write(detail)).build();
    }

    JsonNode send(String contactId, String kind, String key) throws Exception {
        return client.invoke("SendFunction", Json.object().put("shopId", "demo").put("contactId", contactId).put("template", "win-back")
                .put("kind", kind).put("idempotencyKey", key));
    }

    /**
     * The sends the guard's rate divides by are counted as their sender records them: SES's Send event for an email its
     * sender recorded as sent writes nothing (it is the evidence only a claim still open needs), and counts nothing again.
     */
    @Test
    void anEmailIsCountedOnceAsItsSenderRecordsItAndItsSesSendEventThenWritesNothing() throws Exception {
        client.shopify("orders/create", OrdersEndToEndTest.order("once@example.com", 9902));
        idle(); // the order's own email too (a journey's turn), so it is counted before the count is read
        String contactId = client.adminJson("/admin/contacts?email=once@example.com").path("contact").path("contactId").asText();
        long before = sends();
        String messageId = send(contactId, "transactional", "counted-once").path("messageId").asText();
        assertThat(sends()).as("counted as sent").isEqualTo(before + 1);

        var meter = runtime.services().table().meter();
        var written = meter.snapshot();
        runtime.bus().put(sesEvent("Send", contactId, messageId));
        runtime.bus().put(sesEvent("Send", contactId, messageId));
        idle();
        assertThat(meter.snapshot().minus(written).billedWriteUnits()).as("SES's Send events, after the sender's record").isZero();
        assertThat(sends()).as("counted once").isEqualTo(before + 1);
    }

    long sends() throws Exception {
        String today = clock.instant().toString().substring(0, 10);
        return client.adminJson("/admin/email/stats?from=" + today + "&to=" + today).path("rows").findValues("counts").stream()
                .mapToLong(c -> c.path("send").asLong()).sum();
    }

    @Test
    void marketingPausesWhenTheBounceRatePassesFourPercentAndResumesOnlyWhenAsked() throws Exception {
        ObjectNode order = OrdersEndToEndTest.order("steady@example.com", 9901);
        ((ObjectNode) order.get("customer")).putObject("email_marketing_consent").put("state", "subscribed");
        client.shopify("orders/create", order);
        client.settle();
        String contactId = client.adminJson("/admin/contacts?email=steady@example.com").path("contact").path("contactId").asText();

        // a week of mail: 250 messages SES sent (each a real message of the shop's log), 9 of them bounced (3.6%): under the line
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < 250; i++) messageIds.add(send(contactId, "transactional", "mail-" + i).path("messageId").asText());
        for (String id : messageIds) runtime.bus().put(sesEvent("Send", contactId, id));
        for (int i = 0; i < 9; i++) runtime.bus().put(sesEvent("Bounce", contactId, messageIds.get(i)));
        client.settle();
        assertThat(send(contactId, "marketing", "before").path("status").asText()).isEqualTo("sent");
        // two more bounces
        runtime.bus().put(sesEvent("Bounce", contactId, messageIds.get(9)));
        runtime.bus().put(sesEvent("Bounce", contactId, messageIds.get(10)));
        client.settle();

        JsonNode state = client.adminJson("/admin/email/deliverability");
        assertThat(state.path("guard").path("paused").asBoolean()).as(state.toString()).isTrue();
        // each email is counted as its sender records it (SES's Send events, after that, change nothing): the 250, the marketing
        // one above and the order's own, so 11 of 252
        assertThat(state.path("guard").path("reason").asText()).contains("bounce rate 4.37%").contains("above 4%");
        JsonNode paused = send(contactId, "marketing", "during");
        assertThat(paused.path("status").asText()).isEqualTo("skipped");
        assertThat(paused.path("reason").asText()).isEqualTo("marketing_paused");
        assertThat(send(contactId, "transactional", "receipt").path("status").asText()).as("transactional email is not paused").isEqualTo("sent");

        assertThat(client.admin("POST", "/admin/email/deliverability/resume", null, null).statusCode()).isEqualTo(200);
        assertThat(send(contactId, "marketing", "after").path("status").asText()).isEqualTo("sent");
    }
}
