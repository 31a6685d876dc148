package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSender;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Issue 4's "done when", through the local runtime with a clock the test moves: marketing mail
 * with RFC 8058 headers and a visible link, one-click unsubscribe, suppression from AWS's
 * documented bounce and complaint events, double opt-in with its evidence in the consent ledger,
 * one email per idempotency key whatever the concurrency, the frequency cap and quiet hours.
 */
class EmailEndToEndTest extends WithSettableRuntime {
    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    EmailEndToEndTest() {
        super(T0);
    }

    @Test
    void aMarketingEmailCarriesOneClickUnsubscribeThatWorksAtOnceWhileTransactionalMailStillGoes() throws Exception {
        String contactId = subscribedCustomer(client, "jon.e@example.com", 1001);
        JsonNode sent = send(contactId, "win-back", "marketing", "win-back-1");
        assertThat(sent.path("status").asText()).as(sent.toString()).isEqualTo("sent");

        LocalOutbox.Sent email = onlyEmailTo("jon.e@example.com");
        String listUnsubscribe = header(email.email(), "List-Unsubscribe");
        assertThat(header(email.email(), "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(listUnsubscribe).matches("<http://127\\.0\\.0\\.1:\\d+/email/demo/unsubscribe\\?t=[A-Za-z0-9_.-]+>");
        String url = listUnsubscribe.substring(1, listUnsubscribe.length() - 1);
        assertThat(email.email().html()).as("a visible unsubscribe link").contains("href=\"" + url + "\"").contains(">Unsubscribe</a>");
        assertThat(email.email().text()).contains("Unsubscribe (" + url + ")");
        assertThat(email.email().tags()).containsEntry("shop", "demo").containsEntry("contact", contactId)
                .containsEntry("message", sent.path("messageId").asText()).containsEntry("kind", "marketing");
        assertThat(Files.readString(runtime.outbox().folder().resolve(email.id() + ".eml"))).contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click");

        // what a mailbox provider does for RFC 8058: POST the header's URL with this body
        HttpResponse<String> unsubscribed = oneClick(url);
        assertThat(unsubscribed.statusCode()).as(unsubscribed.body()).isEqualTo(200);
        assertThat(RuntimeClient.json(unsubscribed).path("status").asText()).isEqualTo("unsubscribed");

        JsonNode next = send(contactId, "win-back-incentive", "marketing", "win-back-2");
        assertThat(next.path("status").asText()).isEqualTo("skipped");
        assertThat(next.path("reason").asText()).isEqualTo("unsubscribed");
        JsonNode receipt = send(contactId, "order-thank-you", "transactional", "order-1001-thanks");
        assertThat(receipt.path("status").asText()).isEqualTo("sent");
        assertThat(header(emailsTo("jon.e@example.com").getLast().email(), "List-Unsubscribe")).as("no unsubscribe header on transactional mail").isNull();

        // a replayed one-click POST changes nothing and records nothing twice
        assertThat(oneClick(url).statusCode()).isEqualTo(200);
        client.settle();
        JsonNode view = client.adminJson("/admin/contacts/" + contactId);
        assertThat(StreamSupport.stream(view.path("events").spliterator(), false).filter(e -> e.path("event").asText().equals("Email Unsubscribed")))
                .hasSize(1);
        JsonNode consent = client.adminJson("/admin/contacts/" + contactId + "/consent");
        assertThat(consent.path("current").path("email_marketing").path("state").asText()).isEqualTo("withdrawn");
        assertThat(consent.path("ledger").get(consent.path("ledger").size() - 1).path("evidence").asText()).contains("one-click unsubscribe (RFC 8058)");

        JsonNode log = client.adminJson("/admin/contacts/" + contactId + "/messages").path("messages");
        List<JsonNode> mine = StreamSupport.stream(log.spliterator(), false).filter(m -> !m.path("tags").has("journey")).toList();
        assertThat(mine).hasSize(3);
        assertThat(mine).extracting(m -> m.path("reason").asText()).contains("unsubscribed");
    }

    @Test
    void aPermanentBounceAndAComplaintFromAwsDocumentedEventsSuppressTheAddress() throws Exception {
        String bounced = subscribedCustomer(client, "bounce.me@example.com", 2001);
        String complained = subscribedCustomer(client, "complain.me@example.com", 2002);
        JsonNode first = send(bounced, "win-back", "marketing", "bounce-1");
        JsonNode second = send(complained, "win-back", "marketing", "complaint-1");

        assertThat(runtime.bus().put(sesEvent("ses-bounce.json", "Email Bounced", "bounce.me@example.com", bounced, first)))
                .containsExactly("EngagementFunction");
        runtime.bus().put(sesEvent("ses-complaint.json", "Email Complaint Received", "complain.me@example.com", complained, second));
        client.settle();

        JsonNode afterBounce = send(bounced, "order-thank-you", "transactional", "bounce-2");
        assertThat(afterBounce.path("status").asText()).isEqualTo("skipped");
        assertThat(afterBounce.path("reason").asText()).as("suppression stops transactional mail too").isEqualTo("bounced");
        JsonNode afterComplaint = send(complained, "win-back-incentive", "marketing", "complaint-2");
        assertThat(afterComplaint.path("reason").asText()).isEqualTo("complained");

        JsonNode suppressed = client.adminJson("/admin/suppressions").path("suppressions");
        assertThat(suppressed.findValuesAsText("email")).containsExactlyInAnyOrder("bounce.me@example.com", "complain.me@example.com");
        assertThat(suppressed.findValuesAsText("detail")).anyMatch(d -> d.contains("Permanent/General: smtp; 550 5.1.1 user unknown"));
        // the complaint also unsubscribes, and both reach the person's history (and scoring)
        JsonNode complainer = client.adminJson("/admin/contacts/" + complained + "/consent");
        assertThat(complainer.path("current").path("email_marketing").path("state").asText()).isEqualTo("withdrawn");
        JsonNode bouncer = client.adminJson("/admin/contacts/" + bounced);
        assertThat(bouncer.path("events").findValuesAsText("event")).contains("Email Bounced");
        JsonNode message = client.adminJson("/admin/contacts/" + bounced + "/messages").path("messages").get(1);
        assertThat(message.path("engagement").has("Bounce")).as(message.toString()).isTrue();
        JsonNode stats = client.adminJson("/admin/email/stats?from=2017-08-05&to=2017-08-05").path("rows");
        assertThat(stats.findValuesAsText("source")).contains("template:win-back");
        assertThat(stats.findValues("counts").stream().mapToLong(c -> c.path("bounce").asLong() + c.path("complaint").asLong()).sum()).isEqualTo(2);

        // the same event delivered again is handled once
        ObjectNode envelope = bounceEnvelope("repeat-1", "bounce.me@example.com", bounced, first);
        assertThat(client.invoke("EngagementFunction", envelope).path("outcome").asText()).isEqualTo("HANDLED");
        assertThat(client.invoke("EngagementFunction", envelope).path("outcome").asText()).isEqualTo("REPEAT");
    }

    /**
     * An instance stopped after marking an SES event on its message and before recording the person's event used to lose
     * that event for good: the redelivery found the mark and answered "repeat". The stop is made by writing the mark alone,
     * as the stopped instance left it (a real Lambda cannot be stopped between two requests on cue).
     */
    @Test
    void anSesEventRedeliveredAfterAStopAtItsMessagesMarkStillReachesThePerson() throws Exception {
        String contactId = subscribedCustomer(client, "stopped.at.mark@example.com", 2003);
        JsonNode sent = send(contactId, "win-back", "marketing", "stopped-1");
        ObjectNode envelope = bounceEnvelope("stopped-bounce-1", "stopped.at.mark@example.com", contactId, sent);
        assertThat(runtime.services().messages().engagement("demo", contactId, sent.path("messageId").asText(), "stopped-bounce-1", "Bounce",
                Instant.parse("2017-08-05T00:41:37Z"))).isTrue();

        assertThat(client.invoke("EngagementFunction", envelope).path("outcome").asText()).isEqualTo("REPEAT");
        client.settle();

        assertThat(client.adminJson("/admin/contacts/" + contactId).path("events").findValuesAsText("event")).contains("Email Bounced");
        assertThat(client.adminJson("/admin/suppressions").path("suppressions").findValuesAsText("email")).contains("stopped.at.mark@example.com");
    }

    @Test
    void doubleOptInWorksEndToEndAndTheLedgerShowsItsEvidence() throws Exception {
        HttpResponse<String> signUp = client.send(HttpRequest.newBuilder(client.url("/email/demo/subscribe"))
                .header("Content-Type", "application/json").header("User-Agent", "SignupBrowser/1.0")
                .POST(BodyPublishers.ofString("{\"email\":\"New.Person@Example.com\",\"first_name\":\"Nia\",\"source\":\"footer form\"}")));
        assertThat(signUp.statusCode()).as(signUp.body()).isEqualTo(202);
        assertThat(RuntimeClient.json(signUp).path("status").asText()).isEqualTo("confirmation_sent");
        client.settle();

        LocalOutbox.Sent confirmation = onlyEmailTo("new.person@example.com");
        assertThat(confirmation.email().subject()).isEqualTo("Please confirm your subscription to Demo shop");
        assertThat(confirmation.email().tags()).containsEntry("kind", "transactional");
        assertThat(confirmation.email().html()).contains("Hi Nia");
        String confirm = link(confirmation.email().html(), "/email/demo/confirm");

        String contactId = client.adminJson("/admin/contacts?email=new.person@example.com").path("contact").path("contactId").asText();
        assertThat(send(contactId, "welcome", "marketing", "welcome-early").path("reason").asText()).isEqualTo("consent_pending");

        HttpResponse<String> page = client.send(HttpRequest.newBuilder(client.url(confirm.substring(confirm.indexOf("/email")))).header("Accept", "text/html"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\">").contains("n•••@example.com");
        assertThat(page.headers().firstValue("referrer-policy")).contains("no-referrer");
        clock.advance(Duration.ofMinutes(5)); // the person reads their email
        HttpResponse<String> confirmed = client.send(HttpRequest.newBuilder(client.url(confirm.substring(confirm.indexOf("/email"))))
                .header("User-Agent", "ConfirmBrowser/2.0").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("confirm=yes")));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);

        JsonNode consent = client.adminJson("/admin/contacts/" + contactId + "/consent");
        assertThat(consent.path("current").path("email_marketing").path("state").asText()).isEqualTo("granted");
        assertThat(consent.path("current").path("email_marketing").path("optInLevel").asText()).isEqualTo("confirmed_opt_in");
        JsonNode ledger = consent.path("ledger");
        assertThat(ledger).hasSize(2);
        assertThat(ledger.get(0).path("state").asText()).isEqualTo("pending");
        assertThat(ledger.get(0).path("evidence").asText()).contains("footer form");
        assertThat(ledger.get(0).path("userAgent").asText()).isEqualTo("SignupBrowser/1.0");
        assertThat(ledger.get(0).path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(ledger.get(1).path("state").asText()).isEqualTo("granted");
        assertThat(ledger.get(1).path("evidence").asText()).contains("double opt-in confirmed").contains(confirmation.email().tags().get("message"));
        assertThat(ledger.get(1).path("userAgent").asText()).isEqualTo("ConfirmBrowser/2.0");
        assertThat(ledger.get(1).path("at").asText()).isEqualTo(T0.plus(Duration.ofMinutes(5)).toString());

        assertThat(send(contactId, "welcome", "marketing", "welcome-1").path("status").asText()).isEqualTo("sent");
        // signing up again the same day sends no second confirmation
        client.send(HttpRequest.newBuilder(client.url("/email/demo/subscribe")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"email\":\"new.person@example.com\"}")));
        assertThat(emailsTo("new.person@example.com")).hasSize(2);
    }

    @Test
    void forgedEditedAndExpiredLinksChangeNothing() throws Exception {
        String contactId = subscribedCustomer(client, "careful@example.com", 3001);
        send(contactId, "win-back", "marketing", "careful-1");
        String url = header(onlyEmailTo("careful@example.com").email(), "List-Unsubscribe").replaceAll("[<>]", "");
        String token = url.substring(url.indexOf("t=") + 2);
        String[] parts = token.split("\\.");
        String edited = parts[0] + "." + parts[1].substring(0, 10) + (parts[1].charAt(10) == 'x' ? 'y' : 'x') + parts[1].substring(11) + "." + parts[2];
        for (String bad : List.of(edited, "forged.token.value", "", parts[0] + "." + parts[1] + "." + parts[1])) {
            HttpResponse<String> refused = oneClick(url.replace(token, bad));
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(RuntimeClient.json(refused).path("error").asText()).isEqualTo("invalid_link");
        }
        assertThat(oneClick(url.replace("/email/demo/", "/email/other-shop/")).statusCode()).isEqualTo(404);
        HttpResponse<String> tooBig = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString("x=" + "a".repeat(17_000))));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        clock.advance(Duration.ofDays(401));
        HttpResponse<String> expired = oneClick(url);
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(RuntimeClient.json(expired).path("message").asText()).contains("expired");
        JsonNode consent = client.adminJson("/admin/contacts/" + contactId + "/consent");
        assertThat(consent.path("current").path("email_marketing").path("state").asText()).isEqualTo("granted");
        assertThat(consent.path("ledger").findValuesAsText("state")).doesNotContain("withdrawn");

        for (String body : List.of("", "not json", "{\"email\":\"not-an-address\"}", "[1,2]", "{\"email\":\"a@b.example\",\"topics\":[\"nope\"]}")) {
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(client.url("/email/demo/subscribe"))
                    .header("Content-Type", "application/json").POST(BodyPublishers.ofString(body)));
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(RuntimeClient.json(refused).path("message").asText()).isNotBlank();
        }
    }

    @Test
    void oneIdempotencyKeySentFromManyThreadsGivesExactlyOneEmail() throws Exception {
        String contactId = subscribedCustomer(client, "once@example.com", 4001);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<JsonNode>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) results.add(pool.submit((Callable<JsonNode>) () -> send(contactId, "win-back", "marketing", "same-key")));
        Set<String> outcomes = new HashSet<>();
        for (Future<JsonNode> r : results) outcomes.add(r.get().path("messageId").asText() + " " + r.get().path("status").asText());
        pool.shutdown();
        assertThat(outcomes).hasSize(1).first().asString().endsWith(" sent");
        assertThat(emailsTo("once@example.com")).hasSize(1);
        assertThat(send(contactId, "win-back", "marketing", "same-key").path("status").asText()).isEqualTo("sent");
        assertThat(emailsTo("once@example.com")).as("a later retry returns the first result").hasSize(1);
    }

    @Test
    void theFrequencyCapAndQuietHoursDeferMarketingMailUntilItMayGo() throws Exception {
        String contactId = subscribedCustomer(client, "busy@example.com", 5001);
        assertThat(send(contactId, "win-back", "marketing", "cap-1").path("status").asText()).isEqualTo("sent");
        clock.advance(Duration.ofHours(1));
        assertThat(send(contactId, "win-back-incentive", "marketing", "cap-2").path("status").asText()).isEqualTo("sent");
        clock.advance(Duration.ofHours(1));
        JsonNode third = send(contactId, "welcome", "marketing", "cap-3");
        assertThat(third.path("status").asText()).isEqualTo("deferred");
        assertThat(third.path("reason").asText()).isEqualTo("frequency_cap");
        assertThat(third.path("until").asText()).isEqualTo(T0.plus(Duration.ofHours(24)).toString());
        assertThat(send(contactId, "order-thank-you", "transactional", "cap-receipt").path("status").asText()).as("the cap is for marketing").isEqualTo("sent");

        clock.set(T0.plus(Duration.ofHours(24)).plusSeconds(1)); // 12:00:01 the next day: the first send left the window
        assertThat(send(contactId, "welcome", "marketing", "cap-3").path("status").asText()).isEqualTo("sent");

        clock.set(Instant.parse("2026-11-24T22:30:00Z")); // night in UTC, the zone of a contact without one
        JsonNode night = send(contactId, "win-back", "marketing", "night-1");
        assertThat(night.path("reason").asText()).isEqualTo("quiet_hours");
        assertThat(night.path("until").asText()).isEqualTo("2026-11-25T08:00:00Z");
        JsonNode log = client.adminJson("/admin/contacts/" + contactId + "/messages").path("messages");
        JsonNode cap3 = StreamSupport.stream(log.spliterator(), false).filter(m -> m.path("idempotencyKey").asText().equals("cap-3")).findFirst().orElseThrow();
        assertThat(cap3.path("attempts").findValuesAsText("status")).containsExactly("deferred", "sending", "sent");
    }

    @Test
    void theSameConsentRestatedOnEveryOrderIsOneLedgerEntry() throws Exception {
        String contactId = subscribedCustomer(client, "again@example.com", 6001);
        assertThat(subscribedCustomer(client, "again@example.com", 6002)).isEqualTo(contactId);
        JsonNode ledger = client.adminJson("/admin/contacts/" + contactId + "/consent").path("ledger");
        assertThat(ledger).hasSize(1);
        assertThat(ledger.get(0).path("state").asText()).isEqualTo("granted");
        assertThat(ledger.get(0).path("source").asText()).isEqualTo("shopify");
    }

    // --- helpers shared with the other email tests

    /** A Shopify customer who subscribed to email marketing (their order's email_marketing_consent). */
    static String subscribedCustomer(RuntimeClient client, String email, long orderId) throws Exception {
        ObjectNode order = AudienceEndToEndTest.order(email, "cust-" + orderId, "chk-" + orderId, orderId, Instant.parse("2026-11-20T10:00:00Z"));
        HttpResponse<String> response = client.shopify("orders/create", order);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        client.settle();
        return client.adminJson("/admin/contacts?email=" + email).path("contact").path("contactId").asText();
    }

    static ObjectNode sendRequest(String contactId, String template, String kind, String key) {
        return Json.object().put("shopId", "demo").put("contactId", contactId).put("template", template).put("kind", kind)
                .put("idempotencyKey", key);
    }

    JsonNode send(String contactId, String template, String kind, String key) throws Exception {
        return client.invoke("SendFunction", sendRequest(contactId, template, kind, key));
    }

    HttpResponse<String> oneClick(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("List-Unsubscribe=One-Click")));
    }

    /** The emails this test sent to an address (journeys the webhooks start send their own, tagged with the journey). */
    /**
     * "View in browser" shows the email as it was sent: its body, kept deflated against the body dictionary, read back
     * whole, with its own links (unsubscribe, preferences, this view) signed again for the message: the body keeps them as
     * their names, whose random tokens were most of what it was billed for.
     */
    @Test
    void viewInBrowserShowsTheEmailAsItWasSent() throws Exception {
        String contactId = subscribedCustomer(client, "viewer@example.com", 1011);
        assertThat(send(contactId, "win-back", "marketing", "win-back-view").path("status").asText()).isEqualTo("sent");
        LocalOutbox.Sent sent = onlyEmailTo("viewer@example.com");
        String html = sent.email().html();
        Matcher view = Pattern.compile("href=\"(http://127\\.0\\.0\\.1:\\d+)(/email/demo/view\\?t=[A-Za-z0-9_.-]+)\"").matcher(html);
        assertThat(view.find()).as("a view-in-browser link").isTrue();
        var page = client.send(HttpRequest.newBuilder(client.url(view.group(2))).header("Accept", "text/html"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(withoutTokens(page.body())).isEqualTo(withoutTokens(html));
        // its links work as the email's do: signed for this person and message
        var preferences = client.send(HttpRequest.newBuilder(URI.create(link(page.body(), "/email/demo/preferences"))).header("Accept", "text/html"));
        assertThat(preferences.statusCode()).isEqualTo(200);
        assertThat(preferences.body()).contains("Email preferences");
        // kept without them
        String kept = runtime.services().messages().body("demo", contactId, sent.email().tags().get("message")).orElseThrow();
        assertThat(kept).doesNotContain("?t=").contains("href=\"kindling-link:unsubscribe\"");
    }

    /** A page's HTML with each link's token left out (a link signed twice has two tokens: random, and its own expiry). */
    static String withoutTokens(String html) {
        return html.replaceAll("\\?t=[A-Za-z0-9_.-]+", "?t=…");
    }

    List<LocalOutbox.Sent> emailsTo(String address) {
        return runtime.outbox().all().stream().filter(s -> s.email().to().equals(address) && !s.email().tags().containsKey("journey")).toList();
    }

    LocalOutbox.Sent onlyEmailTo(String address) {
        List<LocalOutbox.Sent> sent = emailsTo(address);
        assertThat(sent).hasSize(1);
        return sent.getFirst();
    }

    static String header(EmailSender.OutgoingEmail email, String name) {
        return email.headers().stream().filter(h -> h.name().equals(name)).map(EmailSender.Header::value).findFirst().orElse(null);
    }

    static String link(String html, String path) {
        Matcher m = Pattern.compile("href=\"(http://127\\.0\\.0\\.1:\\d+" + Pattern.quote(path) + "\\?t=[^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a link to " + path).isTrue();
        return m.group(1);
    }

    /**
     * An SES event that only marks its message and counts (a Send, a Delivery: most of a month's SES events) reads no
     * profile; one that reaches the person (a bounce, an open, a click) reads theirs.
     */
    @Test
    void aDeliveryReadsNoProfileWhereABounceDoes() throws Exception {
        String contactId = subscribedCustomer(client, "delivered@example.com", 2004);
        JsonNode sent = send(contactId, "win-back", "marketing", "delivered-1");
        var meter = runtime.services().table().meter();
        meter.perWhat(key -> key.replaceAll("#C#.*", "#C#<id>"));

        ObjectNode delivery = bounceEnvelope("delivered-1", "delivered@example.com", contactId, sent);
        delivery.put("detail-type", "Email Delivered");
        ObjectNode detail = (ObjectNode) delivery.get("detail");
        detail.remove("bounce");
        detail.put("eventType", "Delivery").putObject("delivery").put("timestamp", "2017-08-05T00:41:02.669Z");
        Map<String, double[]> before = meter.billedByWhat();
        assertThat(client.invoke("EngagementFunction", delivery).path("outcome").asText()).isEqualTo("HANDLED");
        assertThat(profileReads(before, meter.billedByWhat())).as("a delivery").isZero();

        before = meter.billedByWhat();
        assertThat(client.invoke("EngagementFunction", bounceEnvelope("delivered-bounce-1", "delivered@example.com", contactId, sent))
                .path("outcome").asText()).isEqualTo("HANDLED");
        assertThat(profileReads(before, meter.billedByWhat())).as("a bounce: the person's event").isPositive();
    }

    /** The units EngagementFunction's reads of a profile billed between two readings of the meter. */
    static double profileReads(Map<String, double[]> before, Map<String, double[]> after) {
        return after.entrySet().stream().filter(e -> e.getKey().startsWith("EngagementFunction get") && e.getKey().endsWith("#C#<id> P"))
                .mapToDouble(e -> e.getValue()[0] - before.getOrDefault(e.getKey(), new double[2])[0]).sum();
    }

    /** AWS's documented bounce, as EventBridge hands it to EngagementFunction under the event id {@code id}. */
    static ObjectNode bounceEnvelope(String id, String recipient, String contactId, JsonNode sent) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(Json.write(Json.object().put("id", id).put("source", "aws.ses")
                .put("detail-type", "Email Bounced").set("detail", Json.MAPPER.readTree(sesEvent("ses-bounce.json", "Email Bounced",
                        recipient, contactId, sent).detail()))));
    }

    /** AWS's documented example record with the recipient and our tags (shop, contact, message id) put in. */
    static PutEventsRequestEntry sesEvent(String example, String detailType, String recipient, String contactId, JsonNode sent) throws Exception {
        String record = Files.readString(Path.of("../../events/payloads", example)).replace("recipient@example.com", recipient);
        ObjectNode detail = (ObjectNode) Json.MAPPER.readTree(record);
        ObjectNode tags = (ObjectNode) detail.path("mail").path("tags");
        tags.putArray("shop").add("demo");
        tags.putArray("contact").add(contactId);
        tags.putArray("message").add(sent.path("messageId").asText());
        tags.putArray("template").add("win-back");
        return PutEventsRequestEntry.builder().source("aws.ses").detailType(detailType).detail(Json.write(detail)).build();
    }
}
