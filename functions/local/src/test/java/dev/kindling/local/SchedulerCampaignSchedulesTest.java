package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.email.TemplateTypes;
import dev.kindling.aws.scheduler.SchedulerCampaignSchedules;
import dev.kindling.campaign.Campaign;
import dev.kindling.campaign.CampaignParser;
import dev.kindling.campaign.CampaignSchedules;
import dev.kindling.json.Json;
import dev.kindling.segment.SegmentParser;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;

/**
 * The campaigns' schedules against moto_server's EventBridge Scheduler API, as the admin function makes them: created
 * in the stack's group, replaced when the campaign changes, disabled and enabled by pause and resume, deleted; the
 * target carries Scheduler's scheduled-time attribute, a retry policy and the dead-letter queue; a test's decision is a
 * one-time schedule that deletes itself after it fires.
 */
class SchedulerCampaignSchedulesTest {
    static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:kindling-test-campaign:live";
    static final String ROLE = "arn:aws:iam::123456789012:role/kindling-test-campaign-scheduler";
    static final String DLQ = "arn:aws:sqs:us-east-1:123456789012:kindling-test-failed-deliveries";

    @Test
    void aCampaignsScheduleIsMadeReplacedPausedResumedAndDeleted() throws Exception {
        try (MotoServer moto = MotoServer.startOrSkip();
             SchedulerClient scheduler = client(moto)) {
            var schedules = schedules(scheduler);
            Instant now = Instant.parse("2026-12-02T10:00:00Z");

            schedules.put("demo", campaign("""
                    audience: {segments: [newsletter]}
                    message: {template: newsletter}
                    schedule: {cron: "0 9 ? * MON *", zone: Europe/Berlin, until: 2027-06-30, window: PT15M}
                    """), now);
            GetScheduleResponse made = get(scheduler, "demo--weekly");
            assertThat(made.scheduleExpression()).isEqualTo("cron(0 9 ? * MON *)");
            assertThat(made.scheduleExpressionTimezone()).isEqualTo("Europe/Berlin");
            assertThat(made.flexibleTimeWindow().mode()).isEqualTo(FlexibleTimeWindowMode.FLEXIBLE);
            assertThat(made.flexibleTimeWindow().maximumWindowInMinutes()).isEqualTo(15);
            assertThat(made.endDate()).isEqualTo(Instant.parse("2027-06-30T22:00:00Z"));
            assertThat(made.state()).isEqualTo(ScheduleState.ENABLED);
            assertThat(made.target().arn()).isEqualTo(FUNCTION);
            assertThat(made.target().roleArn()).isEqualTo(ROLE);
            assertThat(made.target().deadLetterConfig().arn()).isEqualTo(DLQ);
            assertThat(made.target().retryPolicy().maximumRetryAttempts()).isEqualTo(5);
            JsonNode input = Json.read(made.target().input(), JsonNode.class);
            assertThat(input.path("shop").asText()).isEqualTo("demo");
            assertThat(input.path("campaign").asText()).isEqualTo("weekly");
            assertThat(input.path("scheduledTime").asText()).as("Scheduler fills in the firing's due time").isEqualTo("<aws.scheduler.scheduled-time>");

            // the campaign changes to each contact's own 09:00: Scheduler then fires hourly, on the hour, in UTC
            schedules.put("demo", campaign("""
                    audience: {segments: [newsletter]}
                    message: {template: newsletter}
                    schedule: {cron: "0 9 * * ? *", zone: contact}
                    """), now);
            GetScheduleResponse replaced = get(scheduler, "demo--weekly");
            assertThat(replaced.scheduleExpression()).isEqualTo("cron(0 * * * ? *)");
            assertThat(replaced.scheduleExpressionTimezone()).isEqualTo("UTC");
            assertThat(replaced.flexibleTimeWindow().mode()).isEqualTo(FlexibleTimeWindowMode.OFF);

            schedules.pause("demo", "weekly", true, now);
            assertThat(get(scheduler, "demo--weekly").state()).isEqualTo(ScheduleState.DISABLED);
            assertThat(get(scheduler, "demo--weekly").scheduleExpression()).as("pausing keeps the rest").isEqualTo("cron(0 * * * ? *)");
            schedules.pause("demo", "weekly", false, now);
            assertThat(get(scheduler, "demo--weekly").state()).isEqualTo(ScheduleState.ENABLED);

            schedules.once("demo", "weekly", "20261207T0800Z", Instant.parse("2026-12-07T12:00:00Z"));
            schedules.once("demo", "weekly", "20261207T0800Z", Instant.parse("2026-12-07T12:00:00Z")); // a retried worker
            GetScheduleResponse decision = get(scheduler, "demo--weekly--20261207T0800Z");
            assertThat(decision.scheduleExpression()).isEqualTo("at(2026-12-07T12:00:00)");
            assertThat(decision.actionAfterCompletionAsString()).isEqualTo("DELETE");
            assertThat(Json.read(decision.target().input(), JsonNode.class).path("decide").asBoolean()).isTrue();

            schedules.delete("demo", "weekly");
            schedules.delete("demo", "weekly"); // deleting what is gone is nothing
            assertThat(scheduler.listSchedules(b -> b.groupName("kindling-test-campaigns")).schedules())
                    .extracting(s -> s.name()).containsExactly("demo--weekly--20261207T0800Z");
            schedules.pause("demo", "weekly", true, now); // nothing to pause: an on-demand campaign has no schedule
            try {
                get(scheduler, "demo--weekly");
                throw new AssertionError("the schedule is still there");
            } catch (ResourceNotFoundException gone) {
                assertThat(gone.statusCode()).isEqualTo(404);
            }
        }
    }

    /**
     * Scheduler refuses a StartDate in the past (a ValidationException; moto_server does not check it, so this
     * asserts the dates the adapter sends). A one-time send at 09:00 in each contact's zone starts firing 27 hours
     * before the last zone reaches 09:00: saved an hour ahead, that start has passed.
     */
    @Test
    void noScheduleIsGivenAStartInThePast() throws Exception {
        try (MotoServer moto = MotoServer.startOrSkip();
             SchedulerClient scheduler = client(moto)) {
            var schedules = schedules(scheduler);
            Campaign soon = campaign("""
                    audience: {segments: [newsletter]}
                    message: {template: newsletter}
                    schedule: {at: "2026-12-02T09:00:00", zone: contact}
                    """);
            Instant hourAhead = Instant.parse("2026-12-02T08:00:00Z"); // 09:00 comes to UTC in an hour, to the last zone in 13
            assertThat(soon.schedule().start()).as("the start the campaign asks for").isBefore(hourAhead);
            schedules.put("demo", soon, hourAhead);
            assertThat(get(scheduler, "demo--weekly").startDate()).as("none: fire from now").isNull();

            Instant weekAhead = Instant.parse("2026-11-25T09:00:00Z");
            schedules.put("demo", soon, weekAhead);
            assertThat(get(scheduler, "demo--weekly").startDate()).as("still ahead: kept").isEqualTo(soon.schedule().start());
            // paused before the start, resumed after it: UpdateSchedule sends the whole schedule again, and not its stale start
            schedules.pause("demo", "weekly", true, weekAhead);
            schedules.pause("demo", "weekly", false, hourAhead);
            GetScheduleResponse resumed = get(scheduler, "demo--weekly");
            assertThat(resumed.state()).isEqualTo(ScheduleState.ENABLED);
            assertThat(resumed.startDate()).isNull();
            assertThat(resumed.scheduleExpression()).isEqualTo("cron(0 * * * ? *)");
        }
    }

    @Test
    void aLongShopAndCampaignIdGetAStableNameWithinSchedulersLimit() {
        String name = CampaignSchedules.name("s".repeat(40), "c".repeat(40));
        assertThat(name).hasSizeLessThanOrEqualTo(64).isEqualTo(CampaignSchedules.name("s".repeat(40), "c".repeat(40))).startsWith("c-");
        assertThat(CampaignSchedules.name("demo", "weekly")).isEqualTo("demo--weekly");
    }

    static Campaign campaign(String yaml) {
        return CampaignParser.parse("weekly", SegmentParser.yamlTree(yaml), TemplateTypes.ANY, s -> true, c -> true);
    }

    /** The adapter over a new schedule group, as the stack makes one. */
    static SchedulerCampaignSchedules schedules(SchedulerClient scheduler) {
        scheduler.createScheduleGroup(b -> b.name("kindling-test-campaigns"));
        return new SchedulerCampaignSchedules(() -> scheduler, new SchedulerCampaignSchedules.Config("kindling-test-campaigns", FUNCTION, ROLE, DLQ));
    }

    static SchedulerClient client(MotoServer moto) {
        return SchedulerClient.builder().endpointOverride(URI.create(moto.endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    static GetScheduleResponse get(SchedulerClient scheduler, String name) {
        return scheduler.getSchedule(b -> b.name(name).groupName("kindling-test-campaigns"));
    }
}
