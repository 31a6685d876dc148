package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.sms.EndUserMessagingSmsSender;
import dev.kindling.engagement.EmailStats;
import dev.kindling.json.Json;
import dev.kindling.aws.dynamodb.DynamoSendSlots;
import dev.kindling.email.SenderIdentity;
import dev.kindling.send.EmailSender;
import dev.kindling.send.EmailSending;
import dev.kindling.send.SendRate;
import dev.kindling.send.SendRequest;
import dev.kindling.send.SendResult;
import dev.kindling.send.SmsSender;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;

/**
 * Texts as a second channel, from outside: Shopify customers with SMS consent and a phone, a text campaign into the SMS
 * outbox, a STOP as End User Messaging publishes it (through {@code POST /local/sms/inbound} to SmsFunction), a written
 * journey whose SMS step waits out SMS quiet hours in the person's zone, and the shop's one frequency cap counting
 * emails and texts together.
 */
class SmsEndToEndTest extends WithSettableRuntime {
    /** 03:00 UTC: 22:00 the evening before in New York, inside SMS quiet hours (21:00-08:00) and outside the email's set here. */
    static final Instant T0 = Instant.parse("2026-12-05T03:00:00Z");
    static final String ANN = "+14155550123";

    SmsEndToEndTest() {
        super(T0);
    }

    @BeforeEach
    void setUp() throws Exception {
        ok(client.admin("PUT", "/admin/journeys/welcome", "{\"enabled\": false}", "application/json"));
        ok(client.admin("PUT", "/admin/templates/flash-sale-text", """
                type: sms
                name: Flash sale
                body: "Hi {{ contact.first_name }}, 20% off everything until midnight."
                """, "application/yaml"));
    }

    @Test
    void aCampaignTextsTheCustomerWhoAgreedWithTheShopsNameAndTheStopLineAndAStopEndsItForGood() throws Exception {
        customer(9001, "ann@example.com", ANN, "subscribed");
        customer(9002, "bob@example.com", "+14155550124", "not_subscribed");
        customer(9003, "cat@example.com", "(415) 555-0125", null); // a phone, no statement about texts
        textCampaign();
        ok(client.admin("POST", "/admin/campaigns/flash/run", null, null));
        idle();

        List<LocalSmsOutbox.Text> texts = runtime.smsOutbox().all();
        assertThat(texts).as("only the customer who said yes to texts").extracting(LocalSmsOutbox.Text::to).containsExactly(ANN);
        LocalSmsOutbox.Text text = texts.getFirst();
        assertThat(text.body()).isEqualTo("Demo shop: Hi Ann, 20% off everything until midnight.\nReply STOP to opt out.");
        assertThat(text.encoding()).isEqualTo("GSM_7");
        assertThat(text.segments()).isEqualTo(1);
        assertThat(text.messageType()).isEqualTo("PROMOTIONAL");
        JsonNode outboxJson = Json.read(client.send(HttpRequest.newBuilder(client.url("/sms-outbox.json"))).body(), JsonNode.class);
        assertThat(outboxJson.get(0).path("to").asText()).isEqualTo(ANN);
        assertThat(client.send(HttpRequest.newBuilder(client.url("/sms-outbox"))).body()).contains("Reply STOP to opt out.", "GSM_7");

        String ann = contactId("ann@example.com");
        JsonNode log = client.adminJson("/admin/contacts/" + ann + "/messages").path("messages");
        assertThat(log.get(0).path("channel").asText()).isEqualTo("sms");
        assertThat(log.get(0).path("status").asText()).isEqualTo("sent");
        assertThat(log.get(0).path("segments").asInt()).isEqualTo(1);
        // a member without consent to texts is counted in the run, and nothing is logged on them (campaigns.md)
        String bob = contactId("bob@example.com");
        assertThat(client.adminJson("/admin/contacts/" + bob + "/messages").path("messages")).isEmpty();
        assertThat(client.adminJson("/admin/campaigns/flash/runs").path("runs").get(0).path("counts").path("skipped:no_sms_consent").asLong())
                .as("Bob and Cat").isEqualTo(2);

        // End User Messaging's receipt: on the message once however often it comes, counted for the campaign, priced as AWS says
        String receipt = Json.write(Json.object().put("eventType", "TEXT_DELIVERED").put("eventVersion", "1.0").put("eventTimestamp", T0.toEpochMilli())
                .put("isFinal", true).put("destinationPhoneNumber", ANN).put("messageId", "eum-1").put("totalMessageParts", 1)
                .put("totalMessagePrice", 0.00581).put("totalCarrierFee", 0.00302).set("context", Json.MAPPER.valueToTree(text.context())));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> answered = client.send(HttpRequest.newBuilder(client.url("/local/sms/inbound")).POST(BodyPublishers.ofString(receipt)));
            assertThat(answered.body()).contains("RECEIPT");
        }
        assertThat(client.adminJson("/admin/contacts/" + ann + "/messages").path("messages").get(0).path("engagement").has("TextDelivered")).isTrue();
        idle(); // counted from the table's stream, with the batch the receipt's mark is in
        JsonNode cost = client.adminJson("/admin/reports/cost?from=2026-12-05&to=2026-12-05");
        assertThat(cost.toString()).as(cost.toString()).contains("End User Messaging");
        JsonNode textLine = null;
        for (JsonNode line : cost.path("rows")) if (line.path("service").asText().equals("End User Messaging")) textLine = line;
        assertThat(textLine.path("quantity").asDouble()).isEqualTo(1.0);
        assertThat(textLine.path("usd").asDouble()).isCloseTo(0.00883, within(1e-9));

        // Ann answers STOP, as End User Messaging publishes her text to the topic
        HttpResponse<String> stop = inbound(ANN, "Stop", "in-1");
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
        assertThat(stop.body()).contains("STOPPED");
        idle();
        JsonNode consent = client.adminJson("/admin/contacts/" + ann + "/consent");
        assertThat(consent.toString()).contains("sms_marketing");
        assertThat(consent.path("current").path("sms_marketing").path("state").asText()).as(consent.toString()).isEqualTo("withdrawn");
        assertThat(consent.path("ledger").toString()).contains("sms keyword STOP", "in-1");
        assertThat(consent.path("current").path("email_marketing").path("state").asText()).as("email is its own consent").isEqualTo("granted");

        clock.advance(Duration.ofDays(1));
        ok(client.admin("POST", "/admin/campaigns/flash/run", null, null));
        idle();
        assertThat(runtime.smsOutbox().all()).as("nothing more to the number that sent STOP").hasSize(1);

        // START gives back only what STOP took: Bob never agreed, so his START agrees to nothing
        assertThat(inbound("+14155550124", "START", "in-2").body()).doesNotContain("STARTED");
        assertThat(inbound(ANN, "START", "in-3").body()).contains("STARTED");
        idle();
        assertThat(client.adminJson("/admin/contacts/" + ann + "/consent").path("current").path("sms_marketing").path("state").asText()).isEqualTo("granted");

        // HELP is answered with a transactional text; anything else is an event of the person
        assertThat(inbound(ANN, "help", "in-4").body()).contains("HELPED");
        idle();
        assertThat(runtime.smsOutbox().all().getLast().body()).startsWith("Demo shop: Reply STOP to opt out").doesNotContain("\nReply STOP");
        assertThat(runtime.smsOutbox().all().getLast().messageType()).isEqualTo("TRANSACTIONAL");
        assertThat(inbound(ANN, "Is the blue one back?", "in-5").body()).contains("RECEIVED");
        idle();
        assertThat(client.adminJson("/admin/contacts/" + ann).toString()).contains("SMS Received", "Is the blue one back?");

        // what is not an inbound text is refused, naming the problem
        HttpResponse<String> bad = client.send(HttpRequest.newBuilder(client.url("/local/sms/inbound")).POST(BodyPublishers.ofString("{\"messageBody\": \"STOP\"}")));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("originationNumber");
    }

    @Test
    void aJourneysTextWaitsForMorningInTheContactsZoneAndTheShopsCapCountsEmailsAndTextsTogether() throws Exception {
        // email quiet hours narrower than SMS's, so only the text waits; the shop's cap: 2 messages a day across channels
        ok(client.admin("PUT", "/admin/email/settings", """
                quietHours: {start: "23:30", end: "06:00", defaultTimeZone: America/New_York}
                frequencyCap: {count: 2, hours: 24}
                """, "application/yaml"));
        ok(client.admin("PUT", "/admin/templates/back-in-stock-email", """
                subject: "It's back"
                html: "<p>The blue one is back, {{ contact.first_name }}.</p>"
                """, "application/yaml"));
        ok(client.admin("PUT", "/admin/templates/back-in-stock-text", """
                type: sms
                body: "The blue one is back in stock: {{ event.url }}"
                """, "application/yaml"));
        ok(client.admin("PUT", "/admin/journeys/back-in-stock", """
                name: Back in stock
                trigger: {event: Back In Stock Requested}
                steps:
                  - {id: email, send: back-in-stock-email}
                  - {id: text-consent, if: {sms_consent: granted}, else: end}
                  - {id: text, send: {sms: back-in-stock-text}}
                  - {id: last, send: back-in-stock-email}
                """, "application/yaml"));
        customer(9101, "dee@example.com", "+12025550143", "subscribed");
        ObjectNode identify = Json.object().put("userId", "9101").put("messageId", "zone-9101");
        identify.putObject("traits").put("timezone", "America/New_York");
        assertThat(client.server("identify", identify).statusCode()).isEqualTo(200);
        assertThat(client.server("track", Json.read("""
                {"userId": "9101", "event": "Back In Stock Requested", "messageId": "bis-1", "properties": {"url": "https://demo.example.com/p/blue"}}
                """, ObjectNode.class)).statusCode()).isEqualTo(200);
        idle();

        assertThat(runtime.outbox().all()).as("the email goes at 22:00 New York time").extracting(s -> s.email().to()).containsExactly("dee@example.com");
        assertThat(runtime.smsOutbox().all()).as("the text waits: 22:00 is inside SMS quiet hours").isEmpty();
        String dee = contactId("dee@example.com");
        JsonNode deferred = message(dee, m -> m.path("channel").asText().equals("sms"));
        assertThat(deferred.path("reason").asText()).isEqualTo("quiet_hours");
        assertThat(deferred.path("until").asText()).as("08:00 the next morning in New York").isEqualTo("2026-12-05T13:00:00Z");

        skip(Duration.ofHours(9)); // 07:00 in New York: still quiet
        assertThat(runtime.smsOutbox().all()).isEmpty();
        skip(Duration.ofHours(1).plusMinutes(1)); // 08:01
        assertThat(runtime.smsOutbox().all()).extracting(LocalSmsOutbox.Text::to).containsExactly("+12025550143");
        // the link went as a short tracked one; a tap is the person's click (scoring, attribution) and one redirect
        String body = runtime.smsOutbox().all().getFirst().body();
        assertThat(body).doesNotContain("https://demo.example.com/p/blue");
        java.util.regex.Matcher shortLink = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:\\d+/l/demo/[A-Za-z0-9]{18}").matcher(body);
        assertThat(shortLink.find()).as(body).isTrue();
        HttpResponse<String> tapped = client.send(HttpRequest.newBuilder(URI.create(shortLink.group())));
        assertThat(tapped.statusCode()).isEqualTo(302);
        assertThat(tapped.headers().firstValue("location")).contains("https://demo.example.com/p/blue");
        idle();
        assertThat(client.adminJson("/admin/contacts/" + dee).toString()).contains("SMS Link Clicked", "https://demo.example.com/p/blue");
        String forged = shortLink.group().substring(0, shortLink.group().length() - 1) + (shortLink.group().endsWith("0") ? "1" : "0");
        assertThat(client.send(HttpRequest.newBuilder(URI.create(forged))).statusCode()).as("a link not handed out").isEqualTo(404);
        // the tap is a click for attribution: an order an hour later is credited to the journey's text
        String placed = clock.instant().plus(Duration.ofHours(1)).toString();
        ObjectNode order = OrdersEndToEndTest.order("dee@example.com", 9501).put("created_at", placed).put("processed_at", placed).put("updated_at", placed)
                .put("total_price", "64.00");
        ((ObjectNode) order.get("customer")).put("id", 9101);
        assertThat(client.shopify("orders/create", order).statusCode()).isEqualTo(200);
        idle();
        JsonNode credited = client.adminJson("/admin/reports/journeys?from=2026-12-05&to=2026-12-05").path("sources").path("journey:back-in-stock");
        assertThat(credited.path("attributed").path("last").path("revenue").decimalValue()).as(credited.toString()).isEqualByComparingTo("64.00");

        // an email and a text within a day: the shop's cap of 2 holds the last email until the first is a day old
        assertThat(runtime.outbox().all()).hasSize(1);
        JsonNode capped = message(dee, m -> m.path("templateId").asText().equals("back-in-stock-email") && !m.path("status").asText().equals("sent"));
        assertThat(capped.path("reason").asText()).isEqualTo("frequency_cap");
        assertThat(capped.path("until").asText()).isEqualTo("2026-12-06T03:00:00Z");
        skip(Duration.ofHours(15));
        assertThat(runtime.outbox().all()).as("a day after the first email").hasSize(2);
    }

    @Test
    void aSignUpFormsBoxForTextsAsksTheNumberToReplyYesAndOnlyThatReplyGrantsIt() throws Exception {
        HttpResponse<String> signedUp = client.send(HttpRequest.newBuilder(client.url("/email/demo/subscribe")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("email=fay%40example.com&first_name=Fay&phone=%28415%29+555-0177&sms_consent=on&source=footer")));
        assertThat(signedUp.statusCode()).as(signedUp.body()).isEqualTo(202);
        assertThat(signedUp.body()).contains("\"sms\":\"confirmation_sent\"");
        idle();
        assertThat(runtime.smsOutbox().all()).extracting(LocalSmsOutbox.Text::to, LocalSmsOutbox.Text::messageType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("+14155550177", "TRANSACTIONAL"));
        assertThat(runtime.smsOutbox().all().getFirst().body()).isEqualTo("Demo shop: Reply YES to get our offers by text. Msg & data rates may apply."
                + " Reply HELP for help, STOP to opt out.");
        String fay = contactId("fay@example.com");
        assertThat(client.adminJson("/admin/contacts/" + fay + "/consent").path("current").path("sms_marketing").path("state").asText()).isEqualTo("pending");
        assertThat(inbound("+14155550177", "Yes!", "in-yes").body()).contains("CONFIRMED");
        idle();
        JsonNode consent = client.adminJson("/admin/contacts/" + fay + "/consent");
        assertThat(consent.path("current").path("sms_marketing").path("state").asText()).isEqualTo("granted");
        assertThat(consent.path("current").path("sms_marketing").path("optInLevel").asText()).isEqualTo("confirmed_opt_in");
        assertThat(consent.path("ledger").toString()).contains("box for texts checked", "sms keyword YES");

        // a form anyone can post: the same phone under other addresses gets no second confirmation today, and a fourth is refused
        for (String other : List.of("fay.2@example.com", "fay.3@example.com")) {
            assertThat(signUp(other, "%28415%29+555-0177").statusCode()).isEqualTo(202);
        }
        idle();
        assertThat(runtime.smsOutbox().all()).as("one confirmation a day per number").hasSize(1);
        HttpResponse<String> fourth = signUp("fay.4@example.com", "%28415%29+555-0177");
        assertThat(fourth.statusCode()).isEqualTo(429);
        assertThat(fourth.body()).contains("this number was signed up for texts several times today");

        HttpResponse<String> bad = client.send(HttpRequest.newBuilder(client.url("/email/demo/subscribe")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"email\": \"gus@example.com\", \"phone\": \"12\", \"sms_consent\": true}")));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("phone must be a phone number");
    }

    @Test
    void thePublicWriteKeyCannotSignAnyoneUpForTextsNorPointTheirTextsAtAnotherNumber() throws Exception {
        customer(9201, "eve.target@example.com", "+14155550188", "not_subscribed");
        // whoever holds the public write key claims the customer wants texts, at the attacker's own number
        ObjectNode claim = Json.object().put("userId", "9201").put("messageId", "claim-sms-1");
        claim.putObject("traits").put("phone", "+14155550199").put("sms_consent", true);
        assertThat(client.track("identify", claim).statusCode()).isEqualTo(200);
        idle();
        String target = contactId("eve.target@example.com");
        JsonNode view = client.adminJson("/admin/contacts/" + target + "/consent");
        assertThat(view.path("current").path("sms_marketing").path("state").asText()).as("a claim only asks").isEqualTo("pending");
        JsonNode traits = client.adminJson("/admin/contacts/" + target).path("contact").path("traits");
        assertThat(traits.path("phone").asText()).as("the shop's number stays").isEqualTo("+14155550188");
        assertThat(traits.toString()).as("consent is in the ledger, never a trait anyone can set").doesNotContain("sms_consent");
        textCampaign();
        ok(client.admin("POST", "/admin/campaigns/flash/run", null, null));
        idle();
        assertThat(runtime.smsOutbox().all()).as("pending consent texts no one").isEmpty();
        // and a claim with a phone that is no number is refused, naming it
        ObjectNode bad = Json.object().put("userId", "9201").put("messageId", "claim-sms-2");
        bad.putObject("traits").put("phone", "call me").put("sms_consent", true);
        HttpResponse<String> refused = client.track("identify", bad);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("traits.phone must be a phone number");
    }

    @Test
    void aStopThatReachedEndUserMessagingFirstKeepsTheNumberOffTextsUntilItSendsStart() throws Exception {
        // the number texts STOP before Kindling ever texted it: no one here to withdraw, but AWS's opt-out list takes it
        assertThat(inbound("+14155550166", "STOP", "in-early").body()).contains("UNKNOWN_NUMBER");
        customer(9301, "hal@example.com", "+14155550166", "subscribed");
        textCampaign();
        ok(client.admin("POST", "/admin/campaigns/flash/run", null, null));
        idle();
        assertThat(runtime.smsOutbox().all()).as("End User Messaging refuses the number").isEmpty();
        String hal = contactId("hal@example.com");
        JsonNode refused = client.adminJson("/admin/contacts/" + hal + "/messages").path("messages").get(0);
        assertThat(refused.path("status").asText()).isEqualTo("failed");
        assertThat(refused.path("reason").asText()).contains("DESTINATION_PHONE_NUMBER_OPTED_OUT");
        assertThat(client.adminJson("/admin/suppressions").toString()).as("and Kindling keeps it off texts from now on").contains("+14155550166", "sms_opt_out");

        // START takes it off both lists; the consent the shop had stands, so the next run texts
        assertThat(inbound("+14155550166", "START", "in-late").statusCode()).isEqualTo(200);
        idle();
        assertThat(client.adminJson("/admin/suppressions").toString()).doesNotContain("+14155550166");
        clock.advance(Duration.ofDays(1));
        ok(client.admin("POST", "/admin/campaigns/flash/run", null, null));
        idle();
        assertThat(runtime.smsOutbox().all()).extracting(LocalSmsOutbox.Text::to).containsExactly("+14155550166");
    }

    @Test
    void textsKeepToTheOriginationIdentitysRateAndOneOverItIsDeferredToItsSlotNotDropped() throws Exception {
        for (int i = 0; i < 3; i++) customer(9400 + i, "pace" + i + "@example.com", "+1415555040" + i, "subscribed");
        var s = runtime.services();
        // a toll-free number's pace, 1 a second here, and no waiting for a slot: what is over it says when its slot is
        var config = new EmailSending.Config("http://127.0.0.1", new SenderIdentity("hello@kindling.local", "kindling.local"), "local", null,
                Duration.ZERO, 1.0);
        var texts = new EmailSending.Texts(runtime.smsOutbox(), s.textedNumbers(), s.shortLinks(),
                new SendRate(new DynamoSendSlots(s.table(), DynamoSendSlots.TEXTS), clock));
        var paced = new EmailSending(s.shops(), s.contacts(), s.email(), s.messages(), s.suppressions(), EmailStats.sentCount(s.emailStats()), new SendRate(new DynamoSendSlots(s.table()), clock),
                runtime.outbox(), s.emailVariables(), s.linkTokens(), texts, s.couponCodes(), clock, config);
        List<SendResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(paced.send(new SendRequest("demo", contactId("pace" + i + "@example.com"), "flash-sale-text", SendRequest.Kind.transactional,
                    "pace-" + i, Json.object(), SendRequest.Tags.NONE, null)));
        }
        assertThat(results).extracting(r -> r.status().name() + (r.reason() == null ? "" : ":" + r.reason()))
                .containsExactly("sent", "deferred:rate_limited", "deferred:rate_limited");
        assertThat(results.get(1).until()).as("the next slot: a second on, spaced for 98% of the rate").isAfter(T0.plusSeconds(1)).isBefore(T0.plusSeconds(2));
        // the deferred ones, tried again at their slot with the same key, go, once each
        clock.set(results.get(1).until());
        assertThat(paced.send(new SendRequest("demo", contactId("pace1@example.com"), "flash-sale-text", SendRequest.Kind.transactional, "pace-1",
                Json.object(), SendRequest.Tags.NONE, null)).status().name()).isEqualTo("sent");
        assertThat(runtime.smsOutbox().all()).extracting(LocalSmsOutbox.Text::to).containsExactly("+14155550400", "+14155550401");
    }

    @Test
    void theEndUserMessagingAdapterSendsThroughTheSameSendTextMessageCallTheLocalRuntimeAnswers() {
        var client = PinpointSmsVoiceV2Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + runtime.port())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        String identity = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef";
        var sender = new EndUserMessagingSmsSender(() -> client, identity, "kindling-dev-sms");
        String id = sender.send(new SmsSender.OutgoingText("t1", ANN, "Demo shop: the blue one is back", true,
                Map.of("shop", "demo", "contact", "c1", "message", "t1")));
        LocalSmsOutbox.Text text = runtime.smsOutbox().all().getFirst();
        assertThat(text.id()).isEqualTo(id);
        assertThat(text.originationIdentity()).isEqualTo(identity);
        assertThat(text.messageType()).isEqualTo("PROMOTIONAL");
        assertThat(text.context()).containsEntry("message", "t1");
        assertThatThrownBy(() -> sender.send(new SmsSender.OutgoingText("t2", "4155550123", "x", false, Map.of())))
                .isInstanceOf(EmailSender.Rejected.class).hasMessageContaining("E.164");
        runtime.smsOutbox().heard("+14155550177", "STOP"); // the account's opt-out list, as a STOP to the number puts it there
        assertThatThrownBy(() -> sender.send(new SmsSender.OutgoingText("t4", "+14155550177", "x", true, Map.of())))
                .isInstanceOf(EmailSender.Rejected.class).hasMessageContaining(SmsSender.OPTED_OUT);
        var off = new EndUserMessagingSmsSender(() -> client, "", "kindling-dev-sms");
        assertThatThrownBy(() -> off.send(new SmsSender.OutgoingText("t3", ANN, "x", false, Map.of())))
                .as("a stack without an origination identity sends no text").isInstanceOf(EmailSender.Rejected.class);
        assertThat(runtime.smsOutbox().all()).hasSize(1);
    }

    /** A text campaign to everyone with a phone, at any hour (the tests' clock is at night in the US). */
    private void textCampaign() throws Exception {
        ok(client.admin("PUT", "/admin/segments/texters", "{\"name\": \"Has a phone\", \"condition\": {\"trait\": \"phone\", \"op\": \"exists\"}}",
                "application/json"));
        ok(client.admin("PUT", "/admin/campaigns/flash", """
                name: Flash sale by text
                audience: {segments: [texters]}
                message: {channel: sms, template: flash-sale-text}
                quietHours: false
                """, "application/yaml"));
    }

    private void customer(long id, String email, String phone, String smsState) throws Exception {
        ObjectNode customer = Json.read("""
                {"id": %d, "email": "%s", "phone": "%s", "created_at": "2026-11-01T10:00:00-05:00", "updated_at": "2026-11-01T10:00:00-05:00",
                 "first_name": "%s", "state": "enabled", "default_address": {"country_code": "US"},
                 "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": "2026-11-01T10:00:00-05:00"}}
                """.formatted(id, email, phone, email.substring(0, 1).toUpperCase() + email.substring(1, email.indexOf('@'))), ObjectNode.class);
        if (smsState != null) {
            customer.putObject("sms_marketing_consent").put("state", smsState).put("opt_in_level", "single_opt_in")
                    .put("consent_updated_at", "2026-11-01T10:00:00-05:00").put("consent_collected_from", "SHOPIFY");
        }
        HttpResponse<String> sent = client.shopify("customers/create", customer);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        idle();
    }

    private HttpResponse<String> signUp(String email, String phone) throws Exception {
        return client.send(HttpRequest.newBuilder(client.url("/email/demo/subscribe")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("email=" + email.replace("@", "%40") + "&phone=" + phone + "&sms_consent=on")));
    }

    private HttpResponse<String> inbound(String from, String body, String id) throws Exception {
        ObjectNode text = Json.object().put("originationNumber", from).put("destinationNumber", "+18885550100").put("messageKeyword", "KEYWORD_123456789012")
                .put("messageBody", body).put("inboundMessageId", id).put("previousPublishedMessageId", "prev-" + id);
        return client.send(HttpRequest.newBuilder(client.url("/local/sms/inbound")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(Json.write(text))));
    }

    /** The contact's one message the filter picks from the message log. */
    private JsonNode message(String contactId, Predicate<JsonNode> which) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        client.adminJson("/admin/contacts/" + contactId + "/messages").path("messages").forEach(m -> { if (which.test(m)) found.add(m); });
        assertThat(found).hasSize(1);
        return found.getFirst();
    }
}
