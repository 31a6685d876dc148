package dev.kindling.aws.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.campaign.Campaign;
import dev.kindling.campaign.CampaignSchedules;
import dev.kindling.json.Json;
import dev.kindling.lazy.Lazy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindow;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.Target;

/**
 * {@link CampaignSchedules} over EventBridge Scheduler: one schedule per campaign in the stack's schedule group, its target
 * CampaignFunction with the shop, the campaign and Scheduler's {@code <aws.scheduler.scheduled-time>} (so a firing
 * delivered twice names the same run), a retry policy and the stack's dead-letter queue. A test's decision is a one-time
 * schedule that deletes itself once it has fired.
 */
public final class SchedulerCampaignSchedules implements CampaignSchedules {
    /** Scheduler puts the firing's due time in the input here: the run's id comes from it. */
    public static final String SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * @param group      the stack's schedule group
     * @param functionArn CampaignFunction
     * @param roleArn    the role Scheduler assumes to invoke it
     * @param deadLetterArn where a firing goes that could not be delivered after its retries
     */
    public record Config(String group, String functionArn, String roleArn, String deadLetterArn) {}

    private final Lazy<SchedulerClient> client;
    private final Config config;

    public SchedulerCampaignSchedules(Supplier<SchedulerClient> client, Config config) {
        this.client = Lazy.of(client);
        this.config = config;
    }

    @Override
    public void put(String shopId, Campaign campaign, Instant now) {
        if (campaign.schedule().onDemand() || !campaign.enabled()) {
            delete(shopId, campaign.id());
            return;
        }
        Campaign.Schedule s = campaign.schedule();
        var fired = s.fired();
        String name = CampaignSchedules.name(shopId, campaign.id());
        FlexibleTimeWindow window = s.window().isZero() ? FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build()
                : FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.FLEXIBLE).maximumWindowInMinutes((int) Math.max(1, s.window().toMinutes())).build();
        Target target = target(Json.object().put("shop", shopId).put("campaign", campaign.id()).put("scheduledTime", SCHEDULED_TIME));
        Instant end = s.until();
        String description = "Kindling campaign " + campaign.id() + " of shop " + shopId;
        Instant start = startDate(s.start(), now);
        try {
            client.get().updateSchedule(b -> b.name(name).groupName(config.group()).scheduleExpression(fired.text())
                    .scheduleExpressionTimezone(fired.zone().getId()).flexibleTimeWindow(window).target(target).state(ScheduleState.ENABLED)
                    .startDate(start).endDate(end).description(description));
        } catch (ResourceNotFoundException absent) {
            try {
                client.get().createSchedule(b -> b.name(name).groupName(config.group()).scheduleExpression(fired.text())
                        .scheduleExpressionTimezone(fired.zone().getId()).flexibleTimeWindow(window).target(target).state(ScheduleState.ENABLED)
                        .startDate(start).endDate(end).description(description));
            } catch (ConflictException createdMeanwhile) {
                put(shopId, campaign, now); // another admin call created it between our two calls: update it
            }
        }
    }

    @Override
    public void pause(String shopId, String campaignId, boolean paused, Instant now) {
        String name = CampaignSchedules.name(shopId, campaignId);
        GetScheduleResponse current;
        try {
            current = client.get().getSchedule(b -> b.name(name).groupName(config.group()));
        } catch (ResourceNotFoundException none) {
            return; // run on demand only: nothing fires
        }
        // UpdateSchedule replaces the whole schedule: what it had is sent again with the new state
        client.get().updateSchedule(b -> b.name(name).groupName(config.group()).scheduleExpression(current.scheduleExpression())
                .scheduleExpressionTimezone(current.scheduleExpressionTimezone()).flexibleTimeWindow(current.flexibleTimeWindow())
                .target(current.target()).startDate(startDate(current.startDate(), now)).endDate(current.endDate()).description(current.description())
                .state(paused ? ScheduleState.DISABLED : ScheduleState.ENABLED));
    }

    /**
     * The StartDate Scheduler is given: none once it is less than {@link #START_LEAD} away, as Scheduler refuses a
     * StartDate in the past with a ValidationException (a one-time campaign in each contact's zone starts 27 hours
     * before its time, so one saved less than a day ahead, or resumed after its start, would fail). Without one,
     * the schedule fires from when it is made, which is what a start already reached means.
     */
    static Instant startDate(Instant start, Instant now) {
        return start == null || start.isBefore(now.plus(START_LEAD)) ? null : start;
    }

    /** A start this close is left out: the request may reach Scheduler that much later than {@code now}. */
    static final Duration START_LEAD = Duration.ofMinutes(1);

    @Override
    public void delete(String shopId, String campaignId) {
        try {
            client.get().deleteSchedule(b -> b.name(CampaignSchedules.name(shopId, campaignId)).groupName(config.group()));
        } catch (ResourceNotFoundException none) {
            // never scheduled, or deleted already
        }
    }

    @Override
    public void once(String shopId, String campaignId, String runId, Instant at) {
        String name = CampaignSchedules.onceName(shopId, campaignId, runId);
        Target target = target(Json.object().put("shop", shopId).put("campaign", campaignId).put("run", runId).put("decide", true));
        try {
            client.get().createSchedule(b -> b.name(name).groupName(config.group())
                    .scheduleExpression("at(" + AT.format(at.truncatedTo(ChronoUnit.SECONDS)) + ")").scheduleExpressionTimezone("UTC")
                    .flexibleTimeWindow(FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build()).target(target)
                    .actionAfterCompletion(ActionAfterCompletion.DELETE).description("Kindling: the A/B decision of run " + runId + " of " + campaignId));
        } catch (ConflictException exists) {
            // the run's decision is scheduled already (a retried worker)
        }
    }

    private Target target(ObjectNode input) {
        return Target.builder().arn(config.functionArn()).roleArn(config.roleArn()).input(Json.write(input))
                .retryPolicy(r -> r.maximumRetryAttempts(5).maximumEventAgeInSeconds(3600))
                .deadLetterConfig(d -> d.arn(config.deadLetterArn())).build();
    }
}
