package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.aws.ses.SesEmailSender;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSender;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The SES v2 requests Kindling makes, checked against the aws-ses-v2-local emulator. */
class SesEndpointTest {
    static SesEmulator ses;

    @BeforeAll
    static void start() throws Exception {
        ses = new SesEmulator();
    }

    @AfterAll
    static void stop() {
        ses.close();
    }

    SesEmailSender sender() {
        return new SesEmailSender(SesV2Client.builder().endpointOverride(URI.create(ses.endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build());
    }

    @Test
    void sendEmailCarriesBothPartsTheHeadersAndTheTagsAndTheAccountRateIsRead() throws Exception {
        EmailSender.OutgoingEmail email = new EmailSender.OutgoingEmail("m1", "\"Demo shop\" <hello@shop.example>", "help@shop.example",
                "ana@example.com", "Your cart ✓", "<p>Hi <b>Ana</b></p>", "Hi Ana\n",
                List.of(new EmailSender.Header("List-Unsubscribe", "<https://k.example/email/demo/unsubscribe?t=abc>"),
                        new EmailSender.Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")),
                Map.of("shop", "demo", "message", "m1", "journey", "win back"), "kindling-dev-email");
        String id = sender().send(email);
        JsonNode stored = last(id);
        assertThat(stored.path("subject").asText()).isEqualTo("Your cart ✓");
        assertThat(stored.path("from").asText()).contains("hello@shop.example");
        assertThat(stored.path("destination").path("to").get(0).asText()).isEqualTo("ana@example.com");
        assertThat(stored.path("replyTo").get(0).asText()).isEqualTo("help@shop.example");
        assertThat(stored.path("body").path("html").asText()).isEqualTo("<p>Hi <b>Ana</b></p>");
        assertThat(stored.path("body").path("text").asText()).isEqualTo("Hi Ana\n");
        assertThat(Json.write(stored.path("headers"))).contains("List-Unsubscribe-Post", "List-Unsubscribe=One-Click",
                "<https://k.example/email/demo/unsubscribe?t=abc>");
        assertThat(sender().maxSendRate()).isEqualTo(SesEmulator.MAX_SEND_RATE);
    }

    @Test
    void aRequestSesRefusesIsARejectionNotAnUnknownOutcome() {
        EmailSender.OutgoingEmail noSender = new EmailSender.OutgoingEmail("m2", "", null, "ana@example.com", "s", "<p>x</p>", "x",
                List.of(), Map.of(), null);
        assertThatThrownBy(() -> sender().send(noSender)).isInstanceOf(EmailSender.Rejected.class);
    }

    @Test
    void theLocalRuntimeSendsToAnSesEndpointWhenOneIsConfigured() throws Exception {
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking(), ses.endpoint))) {
            RuntimeClient client = new RuntimeClient(runtime);
            assertThat(runtime.outbox()).isNull();
            String contactId = EmailEndToEndTest.subscribedCustomer(client, "ses-endpoint@example.com", 501);
            JsonNode result = client.invoke("SendFunction", EmailEndToEndTest.sendRequest(contactId, "win-back", "marketing", "ses-1"));
            assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("sent");
            JsonNode stored = last(result.path("providerMessageId").asText());
            assertThat(stored.path("destination").path("to").get(0).asText()).isEqualTo("ses-endpoint@example.com");
            assertThat(Json.write(stored.path("headers"))).contains("List-Unsubscribe-Post", "/email/demo/unsubscribe?t=");
            assertThat(stored.path("body").path("html").asText()).contains("been a while").doesNotContain("{{");
        }
    }

    /** The emulator answers whether it took a message, as the local outbox does: a claim a killed runtime left is settled by it. */
    @Test
    void theEmulatorSaysWhichMessagesItTook() {
        EmulatedSes emulated = new EmulatedSes(sender(), ses.endpoint);
        EmailSender.OutgoingEmail email = new EmailSender.OutgoingEmail("m-taken-1", "hello@shop.example", null, "ana@example.com", "s",
                "<p>x</p>", "x", List.of(), Map.of("shop", "demo", "message", "m-taken-1"), null);
        String id = emulated.send(email);
        assertThat(emulated.accepted("m-taken-1")).contains(id);
        assertThat(emulated.accepted("m-never-sent")).isEmpty();
    }

    static JsonNode last(String messageId) throws Exception {
        for (JsonNode e : ses.store()) if (e.path("messageId").asText().equals(messageId)) return e;
        throw new AssertionError("the emulator has no email " + messageId + ": " + ses.store());
    }

}
