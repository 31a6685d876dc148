package dev.kindling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.aws.dynamodb.CapacityMeter;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.handler.Services;
import dev.kindling.json.Json;
import dev.kindling.local.LocalOutbox;
import dev.kindling.local.LocalRuntime;
import dev.kindling.email.SenderIdentity;
import dev.kindling.send.EmailSending;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign to N recipients run by the local runtime as it runs on AWS: the admin API saves it, {@code POST …/run}
 * puts the request on the bus, CampaignFunction sends page after page (handing the run on through the bus after each
 * page, as the local Lambda context always has little time left) at the rate SES_MAX_SEND_RATE configures. Measured:
 * the time to reach everyone, the achieved rate against the configured one, the largest count of emails in any one
 * second, duplicates, and DynamoDB capacity per recipient; the AWS cost of the run follows from them.
 *
 * <pre>SES_MAX_SEND_RATE=200 bin/bench-campaign [recipients (100000)]</pre>
 */
public final class CampaignBenchmark {
    private CampaignBenchmark() {}

    public static void main(String[] args) throws Exception {
        int recipients = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String configured = System.getenv().getOrDefault("SES_MAX_SEND_RATE", "");
        if (configured.isBlank()) throw new IllegalStateException("set SES_MAX_SEND_RATE (emails per second), as bin/bench-campaign does");
        double rate = Double.parseDouble(configured);
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, Clock.systemUTC()))) {
            Services s = runtime.services();
            var email = s.email();
            if (!email.store().putJourney("demo", "welcome", Json.object().put("enabled", false), email.current("demo").version())) {
                throw new IllegalStateException("could not switch the welcome journey off");
            }
            Instant now = Instant.now();
            long seedStart = System.nanoTime();
            seed(s, recipients, now);
            System.out.printf("seeded %,d subscribed contacts in the segment everyone in %.1f s%n", recipients, (System.nanoTime() - seedStart) / 1e9);
            var settings = s.settings();
            if (!settings.store().putSegment("demo", "everyone", Json.read("{\"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}", JsonNode.class),
                    settings.current("demo").version())) throw new IllegalStateException("could not save the segment");
            if (!email.store().putCampaign("demo", "bench", Json.read("""
                    {"audience": {"segments": ["everyone"]}, "message": {"template": "newsletter"}, "topic": "newsletter", "quietHours": false}""", JsonNode.class),
                    email.current("demo").version())) throw new IllegalStateException("could not save the campaign");

            CapacityMeter.Snapshot before = s.table().meter().snapshot();
            long t0 = System.nanoTime();
            Instant start = Instant.now();
            s.bus().publish(List.of(new dev.kindling.event.BusEvent("kindling.campaigns", "Campaign Run Requested", start,
                    Json.object().put("shop", "demo").put("campaign", "bench").put("scheduledTime", start.toString()))));
            while (true) {
                Thread.sleep(1000);
                var run = s.campaignRuns().list("demo", "bench", 1);
                if (!run.isEmpty() && run.getFirst().status() == dev.kindling.campaign.CampaignRuns.Status.done) break;
                if (System.nanoTime() - t0 > Duration.ofHours(2).toNanos()) throw new IllegalStateException("the run took more than two hours");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            CapacityMeter.Snapshot used = s.table().meter().snapshot().minus(before);
            List<LocalOutbox.Sent> all = runtime.outbox().all();
            Map<String, Integer> byRecipient = new HashMap<>();
            List<Instant> times = new ArrayList<>();
            for (LocalOutbox.Sent e : all) {
                if (!"bench".equals(e.email().tags().get("campaign"))) continue;
                byRecipient.merge(e.email().to(), 1, Integer::sum);
                times.add(e.at());
            }
            times.sort(null);
            int busiest = 0;
            for (int i = 0, j = 0; i < times.size(); i++) {
                while (Duration.between(times.get(j), times.get(i)).toMillis() >= 1000) j++;
                busiest = Math.max(busiest, i - j + 1);
            }
            long twice = byRecipient.values().stream().filter(n -> n > 1).count();
            var counts = s.campaignRuns().list("demo", "bench", 1).getFirst().counts();
            double sendSeconds = Duration.between(times.getFirst(), times.getLast()).toMillis() / 1000.0;
            System.out.printf("run of %,d recipients: done in %.1f s; %,d emails (%,d people, %d twice); counts %s%n",
                    recipients, seconds, times.size(), byRecipient.size(), twice, counts);
            System.out.printf("rate configured %.0f/s; achieved %.1f/s (first to last email); largest count in any one-second window: %d%n",
                    rate, (times.size() - 1) / sendSeconds, busiest);
            System.out.printf("DynamoDB per recipient: %.2f RRU, %.2f WRU (billed on demand; %,d reads, %,d writes in all)%n",
                    used.billedReadUnits() / recipients, used.billedWriteUnits() / recipients, used.readRequests(), used.writeRequests());
            System.out.printf("bus events handing the run on: %d here (a page each, the local context having 15 s left)%n",
                    recipients / 100);
        }
    }

    /**
     * Subscribed contacts in the segment {@code everyone}: ingested as a tracking library's identify with consent, and the
     * membership written as segment evaluation writes it, through a Services whose bus is silent (the bench measures the
     * campaign, not N sign-ups' journeys and scores); in parallel, DynamoDB Local being the bound.
     */
    static void seed(Services live, int count, Instant at) {
        Services quiet = new Services(live.table(), events -> { }, live.shops(), live.clock(), Duration.ofDays(400), null, null,
                new EmailSending.Config("http://127.0.0.1", new SenderIdentity("hello@kindling.local", "kindling.local"), "local", 1.0, Duration.ofSeconds(1)), null, null, null, null, batches -> { throw new UnsupportedOperationException("no imports in this benchmark"); }, null, null);
        java.util.stream.IntStream.range(0, count).parallel().forEach(i -> {
            String address = "reader" + i + "@example.com";
            CanonicalEvent identify = new CanonicalEvent("bench-id-" + i, EventType.IDENTIFY, null, null, null, address, null, Json.object(),
                    Json.object().put("email", address), null,
                    List.of(new ConsentChange(ConsentChange.EMAIL_MARKETING, ConsentChange.State.granted, "single_opt_in", at, "bench sign-up")),
                    at, at, Source.TRACKING, Map.of());
            String contactId = quiet.ingestor().ingest("demo", "tracking:bench-id-" + i, identify).contactId();
            if (!quiet.memberships().commit("demo", contactId, 0, Map.of("everyone", at), List.of("everyone"), List.of(), List.of())) {
                throw new IllegalStateException("membership of " + contactId + " was written twice");
            }
        });
    }
}
