package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.journey.JourneyStarter;
import dev.kindling.journey.asl.Execution;
import dev.kindling.json.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A journey written only as data, through the admin API, run in the local runtime on the flow interpreter
 * (the same ASL Step Functions runs) with skipped time: "3 days before a policy expires: a reminder; if no
 * renewal within 2 days, a second reminder; exit on renewal".
 */
class WrittenJourneyEndToEndTest extends WithSettableRuntime {
    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    static final String POLICY_RENEWAL = """
            name: Policy renewal
            trigger: {date: {trait: policy_expires_at, before: P3D}}
            goals: [Policy Renewed]
            steps:
              - {id: reminder, send: policy-reminder}
              - {id: pause, wait: P2D}
              - {id: renewed, if: {did: Policy Renewed}, then: end}
              - {id: last-call, send: policy-last-call}
            """;

    WrittenJourneyEndToEndTest() {
        super(T0);
    }

    @BeforeEach
    void setUp() throws Exception {
        for (String template : List.of("policy-reminder", "policy-last-call")) {
            HttpResponse<String> saved = client.admin("PUT", "/admin/templates/" + template, """
                    subject: "Your policy ends on {{ contact.policy_expires_at }}"
                    html: |
                      <p>Hello {{ contact.first_name | default: "there" }}, renew before {{ contact.policy_expires_at }}.</p>
                    """, "application/yaml");
            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        }
    }

    @Test
    void aPolicyRenewalJourneyWrittenAsDataRemindsTwiceUnlessThePersonRenewsWhichEndsItAtOnce() throws Exception {
        HttpResponse<String> saved = client.admin("PUT", "/admin/journeys/policy-renewal", POLICY_RENEWAL, "application/yaml");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        String expires = LocalDate.ofInstant(T0.plus(Duration.ofDays(3)), ZoneOffset.UTC).toString(); // due since midnight today
        String ann = policyHolder(7001, "ann@example.com", expires);
        String bob = policyHolder(7002, "bob@example.com", expires);
        policyHolder(7003, "cat@example.com", LocalDate.ofInstant(T0.plus(Duration.ofDays(10)), ZoneOffset.UTC).toString()); // not yet

        JsonNode refreshed = refresh();
        assertThat(refreshed.path("demo").path("journeysDue").asLong()).as(refreshed.toString()).isEqualTo(2);
        idle();
        assertThat(steps("ann@example.com")).containsExactly("reminder");
        assertThat(steps("bob@example.com")).containsExactly("reminder");
        assertThat(steps("cat@example.com")).isEmpty();

        // bob renews the next hour: the goal ends his entry at once, not at its next turn two days later
        clock.advance(Duration.ofHours(1));
        client.track("track", Json.read("""
                {"userId": "7002", "event": "Policy Renewed", "messageId": "renewed-bob", "properties": {"policy": "home"}}""", ObjectNode.class));
        idle();
        Execution bobs = execution(bob, expires);
        assertThat(bobs.status()).isEqualTo(Execution.Status.ABORTED);
        assertThat(bobs.cause()).isEqualTo("goal: Policy Renewed");

        clock.advance(Duration.ofDays(2));
        runtime.journeys().runDue();
        idle();
        assertThat(steps("ann@example.com")).containsExactly("reminder", "last-call");
        assertThat(steps("bob@example.com")).containsExactly("reminder");
        Execution anns = execution(ann, expires);
        assertThat(anns.status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(anns.path()).containsExactly("Turn", "Pause", "Turn", "Ended");
        assertThat(anns.transitions()).as("two email steps, two transitions each").isEqualTo(4);
        assertThat(refresh().path("demo").path("journeysDue").asLong()).as("one entry per date").isZero();

        JsonNode stats = client.adminJson("/admin/journeys/policy-renewal/stats").path("journey");
        assertThat(stats.path("entered").asLong()).isEqualTo(2);
        assertThat(stats.path("completed").asLong()).isEqualTo(1);
        assertThat(stats.path("exited_goal").asLong()).isEqualTo(1);
        // per step, who reached it: both got the reminder and waited; bob's goal stopped him there, ann went on
        JsonNode steps = client.adminJson("/admin/journeys/policy-renewal/stats").path("steps");
        assertThat(steps.path("reminder").path("reached").asLong()).isEqualTo(2);
        assertThat(steps.path("pause").path("reached").asLong()).isEqualTo(2);
        assertThat(steps.path("renewed").path("reached").asLong()).isEqualTo(1);
        assertThat(steps.path("last-call").path("reached").asLong()).isEqualTo(1);
    }

    @Test
    void aSplitUpdateAndBusEventRunOncePerContactAndEachArmTagsItsEmails() throws Exception {
        HttpResponse<String> saved = client.admin("PUT", "/admin/journeys/quotes", """
                trigger: {event: Quote Requested}
                steps:
                  - {id: tag, update: {traits: {quote_stage: requested}}}
                  - {id: crm, publish: {type: crm.task, detail: {queue: quotes}}}
                  - {id: test, split: [{name: short, weight: 1, then: short-note}, {name: long, weight: 1, then: long-note}]}
                  - {id: short-note, send: win-back}
                  - {id: stop, exit: true}
                  - {id: long-note, send: welcome}
                """, "application/yaml");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        int people = 12;
        for (int i = 0; i < people; i++) {
            policyHolder(7100 + i, "quote" + i + "@example.com", "2027-01-01");
            clock.advance(Duration.ofMinutes(5)); // the afternoon: quiet hours would hold marketing mail back from 21:00
            client.track("track", Json.read("""
                    {"userId": "%d", "event": "Quote Requested", "messageId": "quote-%d"}""".formatted(7100 + i, i), ObjectNode.class));
            idle();
        }
        List<String> arms = sentBy("quotes").stream()
                .map(s -> s.email().tags().get("variant") + ":" + s.email().tags().get("step")).toList();
        assertThat(arms).as("one email each, from its arm").hasSize(people).allMatch(a -> a.equals("short:short-note") || a.equals("long:long-note"));
        assertThat(arms).as("both arms used").contains("short:short-note", "long:long-note");
        JsonNode contact = client.adminJson("/admin/contacts?email=quote0@example.com").path("contact");
        assertThat(contact.toString()).contains("\"quote_stage\":\"requested\"");
        List<ObjectNode> tasks = runtime.bus().recent(LocalBus.KEPT).stream().filter(e -> e.path("detail-type").asText().equals("crm.task")).toList();
        assertThat(tasks).hasSize(people).allSatisfy(t -> assertThat(t.path("detail").path("queue").asText()).isEqualTo("quotes"));
        assertThat(tasks.getFirst().path("source").asText()).isEqualTo("kindling.journeys");
        assertThat(runtime.journeys().executions().stream().filter(e -> e.name.startsWith("demo-quotes-")))
                .hasSize(people).allSatisfy(e -> assertThat(e.status()).isEqualTo(Execution.Status.SUCCEEDED));

        // key: contact is one entry per contact and day
        String first = client.adminJson("/admin/contacts?email=quote0@example.com").path("contact").path("contactId").asText();
        client.track("track", Json.read("{\"userId\": \"7100\", \"event\": \"Quote Requested\", \"messageId\": \"quote-0-again\"}", ObjectNode.class));
        idle();
        assertThat(runtime.journeys().executions().stream().filter(e -> e.name.startsWith("demo-quotes-" + first))).as("the same day").hasSize(1);
        clock.advance(Duration.ofDays(1));
        client.track("track", Json.read("{\"userId\": \"7100\", \"event\": \"Quote Requested\", \"messageId\": \"quote-0-tomorrow\"}", ObjectNode.class));
        idle();
        assertThat(runtime.journeys().executions().stream().filter(e -> e.name.startsWith("demo-quotes-" + first))).as("the next day").hasSize(2);
    }

    @Test
    void theShopsOwnCallPutsAContactInAJourneyOnceAndRefusesWhatItCannotDo() throws Exception {
        template("crm-hello", "Your deal", "<p>Deal {{ event.deal }}</p>");
        journey("crm-nurture", """
                trigger: {api: true}
                steps:
                  - {id: hello, send: crm-hello}
                  - {id: tag, update: {traits: {nurtured: true}}}
                """);
        policyHolder(7301, "crm.lead@example.com", "2027-01-01");
        String contactId = client.adminJson("/admin/contacts?email=crm.lead@example.com").path("contact").path("contactId").asText();
        String body = "{\"contactId\": \"" + contactId + "\", \"key\": \"deal-42\", \"properties\": {\"deal\": \"42\"}}";

        HttpResponse<String> entered = client.admin("POST", "/admin/journeys/crm-nurture/entries", body, "application/json");
        assertThat(entered.statusCode()).as(entered.body()).isEqualTo(200);
        assertThat(RuntimeClient.json(entered).path("started").asBoolean()).isTrue();
        idle();
        assertThat(client.admin("POST", "/admin/journeys/crm-nurture/entries", body, "application/json").body())
                .as("the same key twice is one entry").contains("\"started\":false");
        idle();
        assertThat(sentBy("crm-nurture"))
                .singleElement().satisfies(m -> assertThat(m.email().html()).as("the call's properties, read by the turn").contains("Deal 42"));
        // the request is the person's event; the execution (Step Functions' history, which no erasure reaches) names it only
        assertThat(client.adminJson("/admin/contacts/" + contactId).toString()).contains("Journey Entry Requested");
        assertThat(runtime.journeys().executions().stream().filter(e -> e.name.contains("crm-nurture")).map(e -> Json.write(e.snapshot())))
                .isNotEmpty().noneMatch(kept -> kept.contains("\"deal\""));
        assertThat(client.adminJson("/admin/contacts/" + contactId).toString()).contains("\"nurtured\":true");
        assertThat(client.adminJson("/admin/audit").toString()).as("a change, audited").contains("/admin/journeys/crm-nurture/entries");

        assertThat(client.admin("POST", "/admin/journeys/abandoned-checkout/entries", body, "application/json").statusCode())
                .as("a journey started by events, not the API").isEqualTo(400);
        assertThat(client.admin("POST", "/admin/journeys/crm-nurture/entries", "{\"contactId\": \"00000000-0000-4000-8000-00000000dead\"}",
                "application/json").statusCode()).isEqualTo(404);
        assertThat(client.admin("POST", "/admin/journeys/crm-nurture/entries", "{}", "application/json").body()).contains("contactId");
    }

    @Test
    void anEntryThatIsOneSendAfterItsWaitIsBegunByItsScheduleWithNoExecutionAndTheSameKeyAfterwardsStartsNothing() throws Exception {
        template("crm-later", "Still thinking?", "<p>Deal {{ event.deal }}</p>");
        journey("crm-later", """
                trigger: {api: true}
                steps:
                  - {id: pause, wait: PT2H}
                  - {id: later, send: crm-later}
                """);
        policyHolder(7501, "crm.later@example.com", "2027-01-01");
        String contactId = contactId("crm.later@example.com");
        String body = "{\"contactId\": \"" + contactId + "\", \"key\": \"deal-43\", \"properties\": {\"deal\": \"43\"}}";
        String name = JourneyStarter.executionName("demo", "crm-later", "deal-43");

        assertThat(RuntimeClient.json(client.admin("POST", "/admin/journeys/crm-later/entries", body, "application/json")).path("started").asBoolean()).isTrue();
        idle();
        assertThat(runtime.journeys().scheduledStart(name)).as("its begin, when the wait is over").isNotNull();
        skip(Duration.ofHours(2));
        assertThat(sentBy("crm-later"))
                .singleElement().satisfies(m -> assertThat(m.email().html()).contains("Deal 43"));
        assertThat(runtime.journeys().lastScheduledTurn(name).path("ended").asText()).as("the send was the rest of it").isEqualTo("completed");
        assertThat(runtime.journeys().execution(name)).as("so no execution and no state transition").isNull();

        // the same call again, after the begin: no execution to refuse the name, yet the entry beside the person is found
        assertThat(client.admin("POST", "/admin/journeys/crm-later/entries", body, "application/json").body())
                .as("the same key twice is one entry").contains("\"started\":false");
        idle();
        assertThat(runtime.journeys().scheduledStart(name)).isNull();
        skip(Duration.ofHours(3));
        assertThat(sentBy("crm-later")).hasSize(1);
    }

    @Test
    void anEntryTurnedOnItsScheduleThatThenWaitsForAnEventIsCarriedFromThatWaitByAnExecutionThatSendsNothingTwice() throws Exception {
        template("quote-sent", "Your quote", "<p>Quote</p>");
        template("quote-thanks", "Thanks", "<p>Thanks</p>");
        journey("quote-follow-up", """
                trigger: {api: true}
                steps:
                  - {id: pause, wait: PT2H}
                  - {id: quote, send: quote-sent}
                  - {id: accepted, wait: {for: [Quote Accepted], within: P3D}, timeout: end}
                  - {id: thanks, send: quote-thanks}
                """);
        policyHolder(7601, "quote.me@example.com", "2027-01-01");
        String contactId = contactId("quote.me@example.com");
        String name = JourneyStarter.executionName("demo", "quote-follow-up", "q-1");
        assertThat(client.admin("POST", "/admin/journeys/quote-follow-up/entries", "{\"contactId\": \"" + contactId + "\", \"key\": \"q-1\"}",
                "application/json").statusCode()).isEqualTo(200);
        idle();
        skip(Duration.ofHours(2));
        // the scheduled turn sent the quote and reached the wait for an event: only an execution can hold the callback token
        Execution e = runtime.journeys().execution(name);
        assertThat(e).as("started at the wait for an event").isNotNull();
        assertThat(e.path()).as("its first Turn hands the turned entry to its Pause: nothing turned twice").containsExactly("Turn", "Pause");
        assertThat(e.token()).isNotNull();
        skip(Duration.ofDays(2)); // accepted two days on (the shop's frequency cap would hold back a second email the same day)
        client.track("track", Json.read("{\"userId\": \"7601\", \"event\": \"Quote Accepted\", \"messageId\": \"accepted-q-1\"}", ObjectNode.class));
        idle();
        assertThat(sentBy("quote-follow-up").stream()
                .map(m -> m.email().tags().get("step"))).as("each email once").containsExactly("quote", "thanks");
        assertThat(e.path()).containsExactly("Turn", "Pause", "Turn", "Ended");
        assertThat(e.transitions()).as("the pass-through Turn, the pause, the Turn that thanks, the end").isEqualTo(4);
    }

    @Test
    void aDailyCapLetsThatManyEntriesADayAndCountsTheRest() throws Exception {
        HttpResponse<String> saved = client.admin("PUT", "/admin/journeys/samples", """
                trigger: {event: Sample Requested}
                dailyCap: 2
                steps:
                  - {id: note, send: welcome}
                """, "application/yaml");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            policyHolder(7400 + i, "sample" + i + "@example.com", "2027-01-01");
            client.track("track", Json.read("""
                    {"userId": "%d", "event": "Sample Requested", "messageId": "sample-%d"}""".formatted(7400 + i, i), ObjectNode.class));
            idle();
        }
        assertThat(sentBy("samples")).as("two a day").hasSize(2);
        assertThat(client.adminJson("/admin/journeys/samples/stats").path("journey").path("capped").asLong()).isEqualTo(1);
        clock.advance(Duration.ofDays(1));
        client.track("track", Json.read("{\"userId\": \"7402\", \"event\": \"Sample Requested\", \"messageId\": \"sample-2-tomorrow\"}",
                ObjectNode.class));
        idle();
        assertThat(sentBy("samples")).as("a new day").hasSize(3);
    }

    @Test
    void aDefinitionIsRefusedWithEveryProblemNamedByItsPath() throws Exception {
        HttpResponse<String> refused = client.admin("PUT", "/admin/journeys/loops", """
                trigger: {event: Checkout Started}
                steps:
                  - {id: first, send: no-such-template}
                  - {id: again, if: {did: Order Completed}, then: first}
                  - {id: pause, wait: P900D}
                """, "application/yaml");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("steps[0].send: no template no-such-template")
                .contains("steps[1].then: first is not after this step")
                .contains("steps[2].wait: more than nothing and at most 365 days");
        assertThat(client.admin("PUT", "/admin/journeys/welcome", "{steps: [{id: a, send: welcome}], trigger: {segment: {entered: vip}}, goals: 3}",
                "application/yaml").body()).as("a shop's own definition under a shipped id is checked like any other")
                .contains("goals: a list of event names");
        assertThat(client.admin("GET", "/admin/journeys/loops", null, null).statusCode()).isEqualTo(404);
    }

    /** A Shopify customer who subscribed, with the policy's end date as a trait from the shop's tracking. */
    /** Saves a template: its subject and HTML. */
    void template(String id, String subject, String html) throws Exception {
        HttpResponse<String> saved = client.admin("PUT", "/admin/templates/" + id, Json.write(Json.object().put("subject", subject).put("html", html)),
                "application/json");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
    }

    /** Saves a journey the shop wrote, in YAML. */
    void journey(String id, String yaml) throws Exception {
        HttpResponse<String> saved = client.admin("PUT", "/admin/journeys/" + id, yaml, "application/yaml");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
    }

    String policyHolder(long id, String email, String expires) throws Exception {
        ObjectNode customer = Json.read("""
                {"id": %d, "email": "%s", "created_at": "2026-11-01T10:00:00-05:00", "updated_at": "2026-11-01T10:00:00-05:00",
                 "first_name": "Poli", "last_name": "Holder", "state": "enabled", "verified_email": true,
                 "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": null}}
                """.formatted(id, email), ObjectNode.class);
        assertThat(client.shopify("customers/create", customer).statusCode()).isEqualTo(200);
        idle();
        assertThat(client.track("identify", Json.read("""
                {"userId": "%d", "messageId": "policy-%d", "traits": {"policy_expires_at": "%s"}}""".formatted(id, id, expires), ObjectNode.class))
                .statusCode()).isEqualTo(200);
        idle();
        return client.adminJson("/admin/contacts?email=" + email).path("contact").path("contactId").asText();
    }

    Execution execution(String contactId, String expires) {
        return runtime.journeys().execution(JourneyStarter.executionName("demo", "policy-renewal", contactId + "-" + expires));
    }

    /** The policy-renewal steps that emailed this address, in order. */
    List<String> steps(String address) {
        return sentBy("policy-renewal").stream().filter(s -> s.email().to().equals(address)).map(s -> s.email().tags().get("step")).toList();
    }

    /** The emails a journey sent, in the order they went. */
    List<LocalOutbox.Sent> sentBy(String journey) {
        return runtime.outbox().all().stream().filter(s -> journey.equals(s.email().tags().get("journey"))).toList();
    }

    JsonNode refresh() throws Exception {
        JsonNode answer = Json.read(new String(runtime.scheduler().run("SegmentRefreshFunction.Schedule"), StandardCharsets.UTF_8), JsonNode.class);
        idle();
        return answer;
    }

}
