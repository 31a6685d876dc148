package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Identity;
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
        // counted in the run, and nothing logged on them: the audience is who may receive it (a write a member fewer)
        String unsubscribed = runtime.services().contacts().lookup("demo", List.of(Identity.email("no.consent@example.com"))).values().iterator().next();
        assertThat(runtime.services().messages().recent("demo", unsubscribed, 10)).isEmpty();

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
        for (LocalOutbox.Sent sent : test) if (sent.email().tags().get("variant").equals("b")) ses("Open", sent, "Mozilla/5.0", "192.0.2.1");
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

    /**
     * Send-time optimisation: Ann (UTC) opened at 14:00 on two days, Bob (New York) at 20:00 his time on two days, Cat never
     * opened anything. A campaign on Thursday 10 December at each contact's best time, fired hourly as Scheduler does,
     * gives Ann hers at 14:00 UTC, Bob his at 20:00 in New York (01:00 UTC the next day), and Cat the shop's busiest hour
     * within her day (14:00 UTC: a young shop's four opens are too few for a Thursday curve, so the week's); each once.
     */
    @Test
    void aCampaignAtEachContactsBestTimeSendsEachAtTheirOwnHour() throws Exception {
        customer(8301, "ann@example.com", true, null, null);
        customer(8302, "bob@example.com", true, "1980-05-05", "America/New_York");
        customer(8303, "cat@example.com", true, null, null);
        opens("ann@example.com", "2026-12-03T14:00:00Z");
        opens("bob@example.com", "2026-12-04T01:00:00Z");
        opens("ann@example.com", "2026-12-04T14:00:00Z");
        opens("bob@example.com", "2026-12-05T01:00:00Z");
        runtime.services().reportCounting().flush(); // the shop's curve is added with the batched counts (a minute or 100 events on AWS)

        ok(client.admin("PUT", "/admin/campaigns/best", """
                name: At their best time
                audience: {segments: [newsletter]}
                message: {template: newsletter}
                schedule: {at: 2026-12-10T09:00, bestTime: true}
                """, "application/yaml"));
        clock.set(Instant.parse("2026-12-09T05:00:00Z"));
        for (int hour = 0; hour < 56; hour++) {
            clock.advance(Duration.ofHours(1));
            runtime.scheduler().runDue();
            idle();
        }
        Map<String, Instant> at = new java.util.TreeMap<>();
        for (LocalOutbox.Sent sent : emails("best")) assertThat(at.put(sent.email().to(), sent.at())).as("once each").isNull();
        assertThat(at).containsOnlyKeys("ann@example.com", "bob@example.com", "cat@example.com");
        assertThat(at.get("ann@example.com").truncatedTo(java.time.temporal.ChronoUnit.HOURS)).isEqualTo(Instant.parse("2026-12-10T14:00:00Z"));
        assertThat(LocalDateTime.ofInstant(at.get("bob@example.com"), ZoneId.of("America/New_York"))).as("20:00 in New York")
                .hasToString("2026-12-10T20:00");
        assertThat(at.get("cat@example.com").truncatedTo(java.time.temporal.ChronoUnit.HOURS)).as("the shop's busiest hour in her window")
                .isEqualTo(Instant.parse("2026-12-10T14:00:00Z"));
    }

    /** The person gets an email and opens it at this time (SES's Open event, through the bus); the clock only moves on. */
    private void opens(String email, String... times) throws Exception {
        String contactId = contactId(email);
        for (String time : times) {
            clock.set(Instant.parse(time).minus(Duration.ofMinutes(30)));
            JsonNode sent = client.invoke("SendFunction", Json.object().put("shopId", "demo").put("contactId", contactId).put("template", "newsletter")
                    .put("kind", "transactional").put("idempotencyKey", "history-" + time));
            assertThat(sent.path("status").asText()).as(sent.toString()).isEqualTo("sent");
            LocalOutbox.Sent email1 = runtime.outbox().all().getLast();
            clock.set(Instant.parse(time).plus(Duration.ofMinutes(5)));
            // a person's mail client, not a mailbox provider's proxy fetching every image (those opens are not the person's)
            ses("Open", email1, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36", "203.0.113.9");
            idle();
        }
    }

    /**
     * The newsletter's new arrivals: products the shop's own data (an order's webhook) first showed since the campaign's
     * last run; a product a stranger names through the public write key is never one.
     */
    @Test
    void theNewsletterShowsProductsNewSinceItsLastRunAndNoneAStrangerNamed() throws Exception {
        customer(8401, "reader@example.com", true, null, null);
        ok(client.admin("PUT", "/admin/campaigns/news", """
                audience: {segments: [newsletter]}
                message: {template: newsletter}
                frequencyCap: false
                quietHours: false
                """, "application/yaml"));
        ok(client.admin("POST", "/admin/campaigns/news/run", null, null));
        idle();
        clock.advance(Duration.ofDays(1));
        ObjectNode order = OrdersEndToEndTest.order("buyer@example.com", 9801).put("created_at", clock.instant().toString())
                .put("processed_at", clock.instant().toString()).put("updated_at", clock.instant().toString());
        order.putArray("line_items").addObject().put("id", 1).put("product_id", 777).put("title", "Merino beanie").put("price", "29.00")
                .put("quantity", 1);
        assertThat(client.shopify("orders/create", order).statusCode()).isEqualTo(200);
        ObjectNode claim = Json.object().put("anonymousId", "stranger-1").put("event", "Product Viewed").put("messageId", "claim-888");
        claim.putObject("properties").put("product_id", "888").put("name", "Free phone, click here").put("price", "1.00");
        assertThat(client.track("track", claim).statusCode()).isEqualTo(200);
        idle();
        clock.advance(Duration.ofDays(6));
        ok(client.admin("POST", "/admin/campaigns/news/run", null, null));
        idle();
        List<LocalOutbox.Sent> toReader = emails("news").stream().filter(e -> e.email().to().equals("reader@example.com")).toList();
        assertThat(toReader).hasSize(2);
        assertThat(toReader.get(0).email().html()).doesNotContain("New since last time", "Merino beanie");
        assertThat(toReader.get(1).email().html()).contains("New since last time", "Merino beanie").doesNotContain("Free phone");
    }

    /**
     * A newsletter's catalog (its new arrivals, the best sellers) is the same for every reader of a minute: the first
     * email reads it and the next, 40 seconds on, reads nothing. With no last run to count from, "new" is since a week
     * before the minute, not before the instant, else each email would ask the catalog something new.
     */
    @Test
    void theNewslettersCatalogIsReadOnceForTheReadersOfAMinute() throws Exception {
        customer(8501, "first.reader@example.com", true, null, null);
        customer(8502, "second.reader@example.com", true, null, null);
        var meter = runtime.services().table().meter();
        meter.perWhat(key -> key.replaceAll("#C#.*", "#C#<id>"));
        Map<String, double[]> before = meter.billedByWhat();
        for (String reader : List.of("first.reader@example.com", "second.reader@example.com")) {
            String contactId = client.adminJson("/admin/contacts?email=" + reader).path("contact").path("contactId").asText();
            JsonNode sent = client.invoke("SendFunction", EmailEndToEndTest.sendRequest(contactId, "newsletter", "marketing", "news-" + contactId));
            assertThat(sent.path("status").asText()).as(sent.toString()).isEqualTo("sent");
            Map<String, double[]> after = meter.billedByWhat();
            double catalogReads = after.entrySet().stream().filter(e -> e.getKey().contains("#CATALOG"))
                    .mapToDouble(e -> e.getValue()[0] - before.getOrDefault(e.getKey(), new double[2])[0]).sum();
            if (reader.startsWith("first")) assertThat(catalogReads).as("the first reader's email").isPositive();
            else assertThat(catalogReads).as("the second, 40 s later").isZero();
            before.clear();
            before.putAll(after);
            clock.advance(Duration.ofSeconds(40));
        }
    }

    /**
     * A page's emails are counted together as the page ends: the day's send counter of the campaign, one write a page
     * (a page is a shard's members: 40 people in 16 shards are at most 16 pages), where each email was one.
     */
    @Test
    void aPagesEmailsAreCountedSentInOneWrite() throws Exception {
        for (int i = 0; i < 40; i++) customer(8601 + i, "counted" + i + "@example.com", true, null, null);
        ok(client.admin("PUT", "/admin/campaigns/counted", """
                audience: {segments: [newsletter]}
                message: {template: newsletter}
                schedule: {cron: "0 9 ? * MON *", zone: UTC}
                """, "application/yaml"));
        var meter = runtime.services().table().meter();
        meter.perWhat(key -> key.replaceAll("#C#.*", "#C#<id>"));
        Map<String, double[]> before = meter.billedByWhat();
        clock.set(Instant.parse("2026-11-30T09:00:20Z"));
        runtime.scheduler().runDue();
        idle();
        assertThat(emails("counted")).hasSize(40);
        double statsWrites = meter.billedByWhat().entrySet().stream()
                .filter(e -> e.getKey().startsWith("CampaignFunction ") && e.getKey().contains("#STATS#"))
                .mapToDouble(e -> e.getValue()[1] - before.getOrDefault(e.getKey(), new double[2])[1]).sum();
        assertThat(statsWrites).as("a write a page").isLessThanOrEqualTo(16.0);
        JsonNode rows = client.adminJson("/admin/email/stats?from=2026-11-30&to=2026-11-30").path("rows");
        assertThat(rows.findValues("counts").stream().mapToLong(c -> c.path("send").asLong()).sum()).isEqualTo(40);
    }

    @Test
    void aSegmentACampaignNamesCannotBeDeletedUnderIt() throws Exception {
        ok(client.admin("PUT", "/admin/segments/bought-this-week", "{\"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}", "application/json"));
        ok(client.admin("PUT", "/admin/campaigns/weekly", """
                audience: {segments: [newsletter], exclude: [bought-this-week]}
                message: {template: newsletter}
                """, "application/yaml"));
        HttpResponse<String> refused = client.admin("DELETE", "/admin/segments/bought-this-week", null, null);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("segment bought-this-week is named by campaign weekly");
        ok(client.admin("DELETE", "/admin/campaigns/weekly", null, null));
        ok(client.admin("DELETE", "/admin/segments/bought-this-week", null, null));
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

    List<LocalOutbox.Sent> emails(String campaign) {
        return runtime.outbox().all().stream().filter(s -> campaign.equals(s.email().tags().get("campaign"))).toList();
    }

    Map<String, Long> recipients(String campaign) {
        return emails(campaign).stream().collect(Collectors.groupingBy(s -> s.email().to(), Collectors.counting()));
    }
}
