package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Campaigns written as data through the admin API and run by the local runtime as they run on AWS: the schedule the
 * admin function makes fires CampaignFunction (the local scheduler on a moved clock), which reads the audience at the
 * run's time and sends through the one send path. Each shop customer here subscribed through a Shopify webhook; the
 * welcome journey is switched off so that only the campaigns email them.
 */
class CampaignEndToEndTest extends WithSettableRuntime {
    /** A Sunday noon: the weekly newsletter's first Monday 09:00 is the next morning. */
    static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    CampaignEndToEndTest() {
        super(T0);
    }

    @BeforeEach
    void setUp() throws Exception {
        ok(client.admin("PUT", "/admin/journeys/welcome", "{\"enabled\": false}", "application/json"));
        ok(client.admin("PUT", "/admin/segments/newsletter", "{\"name\": \"Has an email address\", \"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}",
                "application/json"));
    }

    @Test
    void aWeeklyNewsletterFiresOnItsScheduleAndReachesEachSubscribedMemberOncePerRunEvenWhenItFiresTwice() throws Exception {
        for (int i = 0; i < 5; i++) customer(8001 + i, "reader" + i + "@example.com", true, null, null);
        customer(8009, "no.consent@example.com", false, null, null);
        HttpResponse<String> saved = client.admin("PUT", "/admin/campaigns/weekly", """
                name: Weekly newsletter
                audience: {segments: [newsletter]}
                message: {template: newsletter}
                schedule: {cron: "0 9 ? * MON *", zone: UTC}
                """, "application/yaml");
        ok(saved);
        assertThat(RuntimeClient.json(saved).path("nextFiring").asText()).isEqualTo("2026-11-30T09:00:00Z");
        assertThat(runtime.scheduler().campaignSchedules()).containsExactly("demo--weekly");

        clock.set(Instant.parse("2026-11-30T08:59:00Z"));
        runtime.scheduler().runDue();
        idle();
        assertThat(emails("weekly")).as("not yet").isEmpty();

        clock.set(Instant.parse("2026-11-30T09:00:20Z"));
        runtime.scheduler().runDue();
        idle();
        assertThat(recipients("weekly")).containsOnlyKeys("reader0@example.com", "reader1@example.com", "reader2@example.com",
                "reader3@example.com", "reader4@example.com").allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));

        // Scheduler delivers at least once: the same firing again, and then while a worker holds nothing, is the same run
        JsonNode again = client.invoke("CampaignFunction", Json.object().put("shop", "demo").put("campaign", "weekly")
                .put("scheduledTime", "2026-11-30T09:00:00Z"));
        assertThat(again.path("note").asText()).startsWith("nothing to do: the run is done");
        runtime.bus().put(PutEventsRequestEntry.builder().source("kindling.campaigns").detailType("Campaign Run Requested")
                .detail("{\"shop\": \"demo\", \"campaign\": \"weekly\", \"scheduledTime\": \"2026-11-30T09:00:00Z\"}").build());
        idle();
        assertThat(emails("weekly")).as("the firing delivered twice sends nothing more").hasSize(5);

        clock.set(Instant.parse("2026-12-07T09:00:10Z"));
        runtime.scheduler().runDue();
        idle();
        assertThat(recipients("weekly")).as("the next Monday is the next run").hasSize(5).allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(2));

        JsonNode runs = client.adminJson("/admin/campaigns/weekly/runs").path("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).path("run").asText()).isEqualTo("20261207T0900Z");
        assertThat(runs.get(1).path("status").asText()).isEqualTo("done");
        assertThat(runs.get(1).path("counts").path("sent").asLong()).isEqualTo(5);
        assertThat(runs.get(1).path("counts").path("skipped:no_consent").asLong()).as("a member who never subscribed").isEqualTo(1);

        // paused: no firing; resumed: the next one, never the one it missed
        ok(client.admin("POST", "/admin/campaigns/weekly/pause", null, null));
        clock.set(Instant.parse("2026-12-14T09:00:10Z"));
        runtime.scheduler().runDue();
        idle();
        assertThat(emails("weekly")).hasSize(10);
        ok(client.admin("POST", "/admin/campaigns/weekly/resume", null, null));
        runtime.scheduler().runDue();
        idle();
        assertThat(emails("weekly")).as("the missed Monday is not sent late").hasSize(10);
        clock.set(Instant.parse("2026-12-21T09:00:10Z"));
        runtime.scheduler().runDue();
        idle();
        assertThat(emails("weekly")).hasSize(15);

        ok(client.admin("POST", "/admin/campaigns/weekly/cancel", null, null));
        assertThat(runtime.scheduler().campaignSchedules()).isEmpty();
        assertThat(client.adminJson("/admin/audit").toString()).as("changes, audited").contains("/admin/campaigns/weekly/cancel");
    }

    @Test
    void aSubjectTestSendsTheVariantsToATestSliceAndTheWinnerToEveryoneElseAfterItsWindow() throws Exception {
        // Variants are dealt by hashing each contact's random id, so a slice's split varies from run to run: with 40
        // people a variant got under minPerVariant about one run in twelve. With 80 that is below one in a million.
        int people = 80;
        for (int i = 0; i < people; i++) customer(8100 + i, "ab" + i + "@example.com", true, null, null);
        ok(client.admin("PUT", "/admin/campaigns/subject-test", """
                audience: {segments: [newsletter]}
                message:
                  variants:
                    - {id: a, template: newsletter}
                    - {id: b, template: newsletter-short}
                test: {percent: 50, metric: opens, after: PT4H, probability: 0.9, minPerVariant: 5}
                """, "application/yaml"));
        HttpResponse<String> run = client.admin("POST", "/admin/campaigns/subject-test/run", null, null);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
        idle();

        List<LocalOutbox.Sent> test = emails("subject-test");
        assertThat(test).as("half the audience, give or take").hasSizeBetween(24, 56);
        Map<String, Long> byVariant = test.stream().collect(Collectors.groupingBy(s -> s.email().tags().get("variant"), Collectors.counting()));
        assertThat(byVariant).containsOnlyKeys("a", "b");
        assertThat(test).extracting(s -> s.email().subject()).contains("New this week", "What's new at Demo shop");
        // the short subject gets opened, the long one does not
        for (LocalOutbox.Sent sent : test) if (sent.email().tags().get("variant").equals("b")) opened(sent);
        idle();
        JsonNode testing = client.adminJson("/admin/campaigns/subject-test/runs").path("runs").get(0);
        assertThat(testing.path("phase").asText()).isEqualTo("testing");
        assertThat(testing.path("counts").path("awaiting_winner").asLong()).isEqualTo(people - test.size());

        clock.advance(Duration.ofHours(4).plusMinutes(1));
        runtime.scheduler().runDue();
        idle();
        List<LocalOutbox.Sent> all = emails("subject-test");
        assertThat(all).as("everyone once").hasSize(people);
        assertThat(all.stream().map(s -> s.email().to()).distinct()).hasSize(people);
        assertThat(all.subList(test.size(), people)).as("the rest get the winner").allSatisfy(s -> assertThat(s.email().tags().get("variant")).isEqualTo("b"));
        JsonNode decided = client.adminJson("/admin/campaigns/subject-test/runs").path("runs").get(0);
        assertThat(decided.path("status").asText()).isEqualTo("done");
        JsonNode decision = decided.path("decision");
        assertThat(decision.path("winner").asText()).isEqualTo("b");
        assertThat(decision.path("conclusive").asBoolean()).as(decision.toString()).isTrue();
        assertThat(decision.path("probabilities").get(1).asDouble()).isGreaterThan(0.99);
        assertThat(decision.path("arms").get(1).path("successes").asLong()).isEqualTo(byVariant.get("b"));
        assertThat(decision.path("arms").get(0).path("recipients").asLong()).isEqualTo(byVariant.get("a"));
        assertThat(decided.path("counts").path("test_slice").asLong()).isEqualTo(test.size());
    }

    @Test
    void theBirthdayCampaignGreetsEachContactAtNineInTheirOwnTimeZone() throws Exception {
        ok(client.admin("PUT", "/admin/segments/has-birthday", "{\"condition\": {\"trait\": \"birthday\", \"op\": \"exists\"}}", "application/json"));
        Map<String, String> zones = Map.of("tokyo@example.com", "Asia/Tokyo", "berlin@example.com", "Europe/Berlin",
                "newyork@example.com", "America/New_York", "kolkata@example.com", "Asia/Kolkata");
        int id = 8200;
        for (var person : zones.entrySet()) customer(id++, person.getKey(), true, "1990-11-30", person.getValue());
        customer(id, "not.today@example.com", true, "1990-12-15", "Europe/Berlin");
        JsonNode ready = client.adminJson("/admin/campaigns/birthday");
        assertThat(ready.path("ready").asBoolean()).isTrue();
        assertThat(ready.path("saved").asBoolean()).isFalse();
        ok(client.admin("PUT", "/admin/campaigns/birthday", Json.write(ready.path("definition")), "application/json"));

        // two days, an hour at a time, as Scheduler fires it
        clock.set(Instant.parse("2026-11-29T12:00:00Z"));
        for (int hour = 0; hour < 48; hour++) {
            clock.advance(Duration.ofHours(1));
            runtime.scheduler().runDue();
            idle();
        }
        List<LocalOutbox.Sent> greetings = emails("birthday");
        assertThat(greetings.stream().map(s -> s.email().to())).containsExactlyInAnyOrderElementsOf(zones.keySet());
        for (LocalOutbox.Sent sent : greetings) {
            LocalDateTime local = LocalDateTime.ofInstant(sent.at(), ZoneId.of(zones.get(sent.email().to())));
            assertThat(local.toLocalDate()).as(sent.email().to()).hasToString("2026-11-30");
            assertThat(local.getHour()).as(sent.email().to() + " at " + local).isEqualTo(9);
        }
        assertThat(greetings.stream().filter(s -> s.email().to().equals("kolkata@example.com")).findFirst().orElseThrow().at())
                .as("half an hour off UTC: 09:30 there").isEqualTo(Instant.parse("2026-11-30T04:00:00Z"));
        assertThat(greetings).extracting(s -> s.email().subject()).allSatisfy(subject -> assertThat(subject).startsWith("Happy birthday"));
    }

    @Test
    void aDefinitionIsRefusedWithEveryProblemNamedAndNothingIsScheduled() throws Exception {
        HttpResponse<String> refused = client.admin("PUT", "/admin/campaigns/bad", """
                audience: {segments: [nobody]}
                message: {template: no-such-template}
                schedule: {cron: "0 9 * *", zone: Europe/Nowhere}
                """, "application/yaml");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("audience.segments[0]: the shop has no segment nobody", "message.template: the shop has no template no-such-template",
                "schedule.zone: an IANA time zone", "schedule.cron: ");
        assertThat(client.admin("GET", "/admin/campaigns/bad", null, null).statusCode()).isEqualTo(404);
        assertThat(runtime.scheduler().campaignSchedules()).isEmpty();
        assertThat(client.admin("POST", "/admin/campaigns/bad/run", null, null).statusCode()).isEqualTo(404);
        JsonNode list = client.adminJson("/admin/campaigns").path("campaigns");
        assertThat(list.findValuesAsText("id")).contains("birthday", "expiring", "weekly-newsletter", "deals", "yesterdays-visitors");
    }

    /** A Shopify customer (subscribed or not), with a birthday and a time zone from the shop's tracking when given. */
    void customer(long id, String email, boolean subscribed, String birthday, String zone) throws Exception {
        ObjectNode customer = Json.read("""
                {"id": %d, "email": "%s", "created_at": "2026-11-01T10:00:00-05:00", "updated_at": "2026-11-01T10:00:00-05:00",
                 "first_name": "Reader", "last_name": "Number%d", "state": "enabled", "verified_email": true,
                 "email_marketing_consent": {"state": "%s", "opt_in_level": "single_opt_in", "consent_updated_at": null}}
                """.formatted(id, email, id, subscribed ? "subscribed" : "not_subscribed"), ObjectNode.class);
        assertThat(client.shopify("customers/create", customer).statusCode()).isEqualTo(200);
        if (birthday != null) {
            ObjectNode traits = Json.object().put("birthday", birthday).put("timezone", zone);
            ObjectNode identify = Json.object().put("userId", Long.toString(id)).put("messageId", "traits-" + id);
            identify.set("traits", traits);
            assertThat(client.track("identify", identify).statusCode()).isEqualTo(200);
        }
        idle();
    }

    /** SES's Open event for an email the outbox sent, with the email's tags as SES gives them back. */
    void opened(LocalOutbox.Sent sent) {
        ObjectNode detail = Json.object().put("eventType", "Open");
        ObjectNode mail = detail.putObject("mail").put("timestamp", sent.at().toString()).put("messageId", "ses-" + sent.id());
        ObjectNode tags = mail.putObject("tags");
        sent.email().tags().forEach((k, v) -> tags.putArray(k).add(v));
        tags.putArray("ses:configuration-set").add(sent.email().configurationSet()); // SES adds it; the engagement rule matches on it
        detail.putObject("open").put("timestamp", clock.instant().toString()).put("userAgent", "Mozilla/5.0").put("ipAddress", "192.0.2.1");
        runtime.bus().put(PutEventsRequestEntry.builder().source("aws.ses").detailType("Email Opened").detail(Json.write(detail)).build());
    }

    List<LocalOutbox.Sent> emails(String campaign) {
        return runtime.outbox().all().stream().filter(s -> campaign.equals(s.email().tags().get("campaign"))).toList();
    }

    Map<String, Long> recipients(String campaign) {
        return emails(campaign).stream().collect(Collectors.groupingBy(s -> s.email().to(), Collectors.counting()));
    }

    static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

}
