package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.dynamodb.DynamoSendSlots;
import dev.kindling.campaign.CampaignRunner;
import dev.kindling.campaign.CampaignRuns;
import dev.kindling.email.SenderIdentity;
import dev.kindling.engagement.EmailStats;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSending;
import dev.kindling.send.SendRate;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A campaign at an account rate far below its audience: every member waits for a send slot and is sent within the run,
 * never counted as deferred and dropped, however many workers share the rate. On the real clock: slots are real time.
 */
class CampaignPacingTest extends WithLocalRuntime {

    /** At SES's sandbox rate, one email a second: a hundred members take a hundred seconds, and each is sent once. */
    @Test
    void atOneEmailASecondTwoWorkersReachAllHundredMembersExactlyOnce() throws Exception {
        int people = TestSize.of(100, 20);
        newsletterToEveryone("paced");
        subscribers("paced", people, 9900);

        // the account's rate: 1 a second, and no send waits for its slot inside the send path (it is deferred at once)
        var s = runtime.services();
        Clock clock = s.clock();
        var config = new EmailSending.Config("http://127.0.0.1", new SenderIdentity("hello@kindling.local", "kindling.local"), "local", 1.0, Duration.ZERO);
        var paced = new EmailSending(s.shops(), s.contacts(), s.email(), s.messages(), s.suppressions(), EmailStats.sentCount(s.emailStats()), new SendRate(new DynamoSendSlots(s.table()), clock),
                runtime.outbox(), s.emailVariables(), s.linkTokens(), null, s.couponCodes(), clock, config);
        Instant due = clock.instant();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            List<Future<CampaignRunner.Outcome>> outcomes = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                CampaignRunner runner = new CampaignRunner(s.email(), s.memberships(), s.contacts(), paced, s.emailStats(), s.campaignRuns(),
                        s.campaignSchedules(), s.bus(), s.reportCounting(), clock);
                outcomes.add(workers.submit(() -> runner.run("demo", "paced", due, () -> true)));
            }
            for (Future<CampaignRunner.Outcome> o : outcomes) o.get();
        } finally {
            workers.shutdownNow();
        }
        // the worker that found the run held waits for its lease; whichever ran it sent everyone
        Map<String, Long> sent = runtime.outbox().all().stream().filter(e -> "paced".equals(e.email().tags().get("campaign")))
                .collect(Collectors.groupingBy(e -> e.email().to(), Collectors.counting()));
        assertThat(sent).hasSize(people);
        assertThat(sent.values()).allMatch(n -> n == 1);
        var run = s.campaignRuns().list("demo", "paced", 1).getFirst();
        assertThat(run.counts()).as(run.counts().toString()).containsEntry("sent", (long) people).doesNotContainKey("deferred:rate_limited");
    }

    /**
     * At 200 emails a second a run goes in four lanes, each a worker's share of the audience (the member lists' shards): the
     * first worker asks the bus for the other three, each lane writes only its own progress, the last one through finishes
     * the phase (an A/B test's slice, then, once decided, the winner to the rest), and everyone gets one email.
     */
    @Test
    void atTwoHundredASecondARunGoesInFourLanesAndReachesEveryoneOnceThroughBothPhasesOfItsTest() throws Exception {
        int people = 60;
        abCampaign("lanes", people, 9800);
        var s = runtime.services();
        Instant due = s.clock().instant();
        SettableClock later = new SettableClock(due.plus(Duration.ofHours(1)).plusSeconds(1));
        List<dev.kindling.event.BusEvent> requested = new ArrayList<>();
        java.util.function.Function<Clock, CampaignRunner> runnerAt = clock -> atTwoHundredASecond(clock, requested);

        CampaignRunner now = runnerAt.apply(s.clock());
        now.run("demo", "lanes", due, () -> true);
        assertThat(requested).extracting(e -> e.detail().path("lane").asInt()).as("the other lanes' workers, asked for").containsExactly(1, 2, 3);
        workTheLanesAskedFor(now, "lanes", due, requested);
        var testing = s.campaignRuns().list("demo", "lanes", 1).getFirst();
        assertThat(testing.phase().name()).as("the last lane through finished the test phase").isEqualTo("testing");
        assertThat(testing.lanes()).hasSize(4).allMatch(CampaignRuns.Lane::done);
        long inTest = testing.counts().getOrDefault("sent", 0L);
        assertThat(inTest + testing.counts().getOrDefault("awaiting_winner", 0L)).as(testing.counts().toString()).isEqualTo(people);

        requested.clear();
        CampaignRunner afterTheTest = runnerAt.apply(later);
        afterTheTest.decide("demo", "lanes", testing.runId(), () -> true);
        assertThat(requested).hasSize(3);
        workTheLanesAskedFor(afterTheTest, "lanes", due, requested);
        var done = s.campaignRuns().list("demo", "lanes", 1).getFirst();
        assertThat(done.status().name()).isEqualTo("done");
        Map<String, Long> sent = runtime.outbox().all().stream().filter(e -> "lanes".equals(e.email().tags().get("campaign")))
                .collect(Collectors.groupingBy(e -> e.email().to(), Collectors.counting()));
        assertThat(sent).as("everyone, once").hasSize(people);
        assertThat(sent.values()).allMatch(n -> n == 1);
        assertThat(done.counts()).as(done.counts().toString()).containsEntry("sent", (long) people).containsEntry("test_slice", inTest);
    }

    /** A run paused while its lanes go on stops in each, and resumed (a request for the run as a whole) goes on in every lane. */
    @Test
    void aRunPausedInItsLanesGoesOnInEveryLaneWhenResumed() throws Exception {
        int people = 40;
        abCampaign("paused-lanes", people, 9700);
        var s = runtime.services();
        Instant due = s.clock().instant();
        List<dev.kindling.event.BusEvent> requested = new ArrayList<>();
        CampaignRunner runner = atTwoHundredASecond(s.clock(), requested);
        runner.run("demo", "paused-lanes", due, () -> true); // lane 0 through; the other three asked for
        s.campaignRuns().setState("demo", "paused-lanes", CampaignRuns.Status.paused);
        workTheLanesAskedFor(runner, "paused-lanes", due, requested);
        var paused = s.campaignRuns().list("demo", "paused-lanes", 1).getFirst();
        assertThat(paused.status()).isEqualTo(CampaignRuns.Status.paused);
        assertThat(paused.lanes()).filteredOn(l -> !l.done()).hasSize(3);

        requested.clear();
        s.campaignRuns().setState("demo", "paused-lanes", CampaignRuns.Status.running);
        runner.run("demo", "paused-lanes", due, () -> true); // what POST …/resume asks for
        assertThat(requested).extracting(e -> e.detail().path("lane").asInt()).as("the lanes left, asked for again").containsExactly(1, 2, 3);
        workTheLanesAskedFor(runner, "paused-lanes", due, requested);
        var after = s.campaignRuns().list("demo", "paused-lanes", 1).getFirst();
        assertThat(after.lanes()).allMatch(CampaignRuns.Lane::done);
        assertThat(after.counts().getOrDefault("sent", 0L) + after.counts().getOrDefault("awaiting_winner", 0L)).as(after.counts().toString()).isEqualTo(people);
    }

    /** A campaign worker's senders ({@code CampaignRunner.SENDERS}). */
    private static final int ONE_WORKERS_SENDERS = 16;

    /**
     * Two workers in one JVM, as the local runtime runs a run's lanes (or two campaigns) side by side, each send with
     * senders of their own, as two Lambdas would: more than one worker's sixteen sends are in flight at once. SES answers
     * only when more than sixteen are waiting for it (or after ten seconds), so workers sharing sixteen senders between
     * them never get there.
     */
    @Test
    void twoWorkersInOneJvmEachSendWithSendersOfTheirOwn() throws Exception {
        newsletterToEveryone("left");
        newsletterToEveryone("right");
        subscribers("side", 20, 9800);
        var s = runtime.services();
        Clock clock = s.clock();
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch moreThanOneWorkers = new java.util.concurrent.CountDownLatch(1);
        dev.kindling.send.EmailSender waitingSes = new dev.kindling.send.EmailSender() {
            @Override
            public String send(OutgoingEmail email) {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    if (most.get() > ONE_WORKERS_SENDERS) moreThanOneWorkers.countDown();
                    moreThanOneWorkers.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    return runtime.outbox().send(email);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.decrementAndGet();
                }
            }

            @Override
            public double maxSendRate() {
                return runtime.outbox().maxSendRate();
            }

            @Override
            public void forget(String address) {
                runtime.outbox().forget(address);
            }
        };
        // 40 a second: one lane a run, its slots a few seconds' worth at most
        var config = new EmailSending.Config("http://127.0.0.1", new SenderIdentity("hello@kindling.local", "kindling.local"), "local", 40.0, Duration.ofSeconds(5));
        var sending = new EmailSending(s.shops(), s.contacts(), s.email(), s.messages(), s.suppressions(), EmailStats.sentCount(s.emailStats()),
                new SendRate(new DynamoSendSlots(s.table()), clock), waitingSes, s.emailVariables(), s.linkTokens(), null, s.couponCodes(), clock, config);
        CampaignRunner runner = new CampaignRunner(s.email(), s.memberships(), s.contacts(), sending, s.emailStats(), s.campaignRuns(),
                s.campaignSchedules(), s.bus(), s.reportCounting(), clock);
        Instant due = clock.instant();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            List<Future<CampaignRunner.Outcome>> outcomes = new ArrayList<>();
            for (String id : List.of("left", "right")) outcomes.add(workers.submit(() -> runner.run("demo", id, due, () -> true)));
            for (Future<CampaignRunner.Outcome> o : outcomes) assertThat(o.get().counts()).containsEntry("sent", 20L);
        } finally {
            workers.shutdownNow();
        }
        assertThat(most.get()).as("sends in flight at once").isGreaterThan(ONE_WORKERS_SENDERS);
    }

    /** Each lane's worker the bus was asked for runs it, as CampaignFunction does for each request. */
    private static void workTheLanesAskedFor(CampaignRunner runner, String campaign, Instant due, List<dev.kindling.event.BusEvent> requested) {
        for (var r : List.copyOf(requested)) runner.run("demo", campaign, due, r.detail().path("lane").asInt(), () -> true);
    }

    /** A campaign worker on {@code clock} whose account sends 200 emails a second; what it asks of the bus goes to {@code requested}. */
    private CampaignRunner atTwoHundredASecond(Clock clock, List<dev.kindling.event.BusEvent> requested) {
        var s = runtime.services();
        var config = new EmailSending.Config("http://127.0.0.1", new SenderIdentity("hello@kindling.local", "kindling.local"), "local", 200.0, Duration.ofSeconds(5));
        return new CampaignRunner(s.email(), s.memberships(), s.contacts(),
                new EmailSending(s.shops(), s.contacts(), s.email(), s.messages(), s.suppressions(), EmailStats.sentCount(s.emailStats()), new SendRate(new DynamoSendSlots(s.table()), clock),
                        runtime.outbox(), s.emailVariables(), s.linkTokens(), null, s.couponCodes(), clock, config),
                s.emailStats(), s.campaignRuns(), s.campaignSchedules(), events -> { synchronized (requested) { requested.addAll(events); } }, s.reportCounting(), clock);
    }

    /** {@code people} subscribers in the segment everyone and an A/B campaign {@code id} to them, its test half of them for an hour. */
    private void abCampaign(String id, int people, int firstCustomer) throws Exception {
        ok(client.admin("PUT", "/admin/journeys/welcome", "{\"enabled\": false}", "application/json"));
        ok(client.admin("PUT", "/admin/segments/everyone", "{\"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}", "application/json"));
        subscribers(id, people, firstCustomer);
        ok(client.admin("PUT", "/admin/campaigns/" + id, """
                audience: {segments: [everyone]}
                message: {variants: [{id: a, template: newsletter}, {id: b, template: newsletter-short}]}
                test: {percent: 50, metric: opens, after: PT1H, minPerVariant: 1}
                frequencyCap: false
                quietHours: false
                """, "application/yaml"));
    }

    /**
     * An A/B run whose decision cannot be scheduled at first (EventBridge Scheduler failing: a fault the local scheduler
     * does not produce, so a wrapper throws once, and says so) is not left waiting: the worker fails with the run in its
     * test phase, and the retry schedules the decision.
     */
    @Test
    void anABRunWhoseDecisionCannotBeScheduledIsTakenUpAgainNotLeftWaiting() throws Exception {
        abCampaign("ab", 4, 9950);
        var s = runtime.services();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(1);
        dev.kindling.campaign.CampaignSchedules failingOnce = new dev.kindling.campaign.CampaignSchedules() {
            @Override public void put(String shopId, dev.kindling.campaign.Campaign campaign, Instant now) { s.campaignSchedules().put(shopId, campaign, now); }
            @Override public void pause(String shopId, String campaignId, boolean paused, Instant now) { s.campaignSchedules().pause(shopId, campaignId, paused, now); }
            @Override public void delete(String shopId, String campaignId) { s.campaignSchedules().delete(shopId, campaignId); }
            @Override public void once(String shopId, String campaignId, String runId, Instant at) {
                if (failures.getAndDecrement() > 0) throw new IllegalStateException("Scheduler is unavailable (injected)");
                s.campaignSchedules().once(shopId, campaignId, runId, at);
            }
        };
        CampaignRunner runner = new CampaignRunner(s.email(), s.memberships(), s.contacts(), s.sending(), s.emailStats(), s.campaignRuns(),
                failingOnce, s.bus(), s.reportCounting(), s.clock());
        Instant due = s.clock().instant();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> runner.run("demo", "ab", due, () -> true))).hasMessageContaining("injected");
        assertThat(s.campaignRuns().list("demo", "ab", 1).getFirst().phase().name()).as("still in its test phase").isEqualTo("test");
        // the retry (on AWS, Lambda's; after the lease) schedules the decision and the run waits for it
        var retried = new CampaignRunner(s.email(), s.memberships(), s.contacts(), s.sending(), s.emailStats(), s.campaignRuns(),
                failingOnce, s.bus(), s.reportCounting(), new SettableClock(due.plus(Duration.ofMinutes(3))));
        CampaignRunner.Outcome outcome = retried.run("demo", "ab", due, () -> true);
        assertThat(outcome.phase().name()).as(outcome.toString()).isEqualTo("testing");
        assertThat(runtime.scheduler().campaignSchedules()).anyMatch(name -> name.startsWith("demo--ab--"));
    }

    /**
     * A member of a campaign's second segment who joins its first after the first's pass is sent in the second's: the run's
     * own log decides who was met, not the memberships at the time (which would have counted them a duplicate, unsent).
     */
    @Test
    void someoneWhoJoinsAnEarlierSegmentAfterItsPassIsStillSent() throws Exception {
        ok(client.admin("PUT", "/admin/journeys/welcome", "{\"enabled\": false}", "application/json"));
        ok(client.admin("PUT", "/admin/segments/gold", "{\"condition\": {\"trait\": \"tier\", \"op\": \"equals\", \"value\": \"gold\"}}",
                "application/json"));
        ok(client.admin("PUT", "/admin/segments/everyone", "{\"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}", "application/json"));
        subscribers("late", 2, 9970);
        client.server("identify", Json.object().put("userId", "9970").put("messageId", "gold-0").set("traits", Json.object().put("tier", "gold")));
        client.settle();
        ok(client.admin("PUT", "/admin/campaigns/both", """
                audience: {segments: [gold, everyone]}
                message: {template: newsletter}
                frequencyCap: false
                quietHours: false
                """, "application/yaml"));
        var s = runtime.services();
        List<dev.kindling.event.BusEvent> handedOn = new ArrayList<>();
        CampaignRunner worker = new CampaignRunner(s.email(), s.memberships(), s.contacts(), s.sending(), s.emailStats(), s.campaignRuns(),
                s.campaignSchedules(), handedOn::addAll, s.reportCounting(), s.clock());
        Instant due = s.clock().instant();
        CampaignRunner.Outcome first = worker.run("demo", "both", due, () -> false); // the gold segment's page, then hands on
        assertThat(first.handedOn()).as(first.toString()).isTrue();
        // between the workers, late1 becomes gold: the gold pass is over
        client.server("identify", Json.object().put("userId", "9971").put("messageId", "gold-1").set("traits", Json.object().put("tier", "gold")));
        client.settle();
        CampaignRunner.Outcome rest = new CampaignRunner(s.email(), s.memberships(), s.contacts(), s.sending(), s.emailStats(), s.campaignRuns(),
                s.campaignSchedules(), handedOn::addAll, s.reportCounting(), s.clock()).run("demo", "both", due, () -> true);
        assertThat(rest.counts()).as(rest.toString()).containsEntry("sent", 2L).containsEntry("duplicate", 1L);
        Map<String, Long> sent = runtime.outbox().all().stream().filter(e -> "both".equals(e.email().tags().get("campaign")))
                .collect(Collectors.groupingBy(e -> e.email().to(), Collectors.counting()));
        assertThat(sent).containsOnly(Map.entry("late0@example.com", 1L), Map.entry("late1@example.com", 1L));
    }

    /**
     * The newsletter as campaign {@code id} to the segment everyone (everyone with an address), the welcome journey off:
     * saved before its people come, so each is in the segment as they do.
     */
    private void newsletterToEveryone(String id) throws Exception {
        ok(client.admin("PUT", "/admin/journeys/welcome", "{\"enabled\": false}", "application/json"));
        ok(client.admin("PUT", "/admin/segments/everyone", "{\"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}", "application/json"));
        ok(client.admin("PUT", "/admin/campaigns/" + id, """
                audience: {segments: [everyone]}
                message: {template: newsletter}
                frequencyCap: false
                quietHours: false
                """, "application/yaml"));
    }

    /** Shopify customers who subscribed: {@code <name><i>@example.com}, ids from {@code firstId}. */
    private void subscribers(String name, int count, long firstId) throws Exception {
        for (int i = 0; i < count; i++) {
            ObjectNode customer = Json.read("""
                    {"id": %d, "email": "%s%d@example.com", "created_at": "2026-11-01T10:00:00-05:00", "updated_at": "2026-11-01T10:00:00-05:00",
                     "first_name": "Reader", "state": "enabled",
                     "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": "2026-11-01T10:00:00-05:00"}}
                    """.formatted(firstId + i, name, i), ObjectNode.class);
            assertThat(client.shopify("customers/create", customer).statusCode()).isEqualTo(200);
        }
        client.settle();
    }

    static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
    }
}
