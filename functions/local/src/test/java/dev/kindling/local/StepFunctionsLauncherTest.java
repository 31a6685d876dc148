package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.aws.stepfunctions.StepFunctionsLauncher;
import dev.kindling.json.Json;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The Step Functions adapter against moto_server's Step Functions API: a name starts one execution, and
 * a stop ends only an execution that is running (DescribeExecution first), saying whether it did, which is
 * what the journeys ended by an order are counted by.
 */
class StepFunctionsLauncherTest {
    private static final String JOURNEY_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:kindling-test-journey:live";

    @Test
    void startsByNameOnceAndStopsOnlyARunningExecution() throws Exception {
        try (MotoServer moto = MotoServer.startOrSkip();
             SfnClient sfn = SfnClient.builder().endpointOverride(URI.create(moto.endpoint)).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                     .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            String machine = sfn.createStateMachine(b -> b.name("kindling-test-abandoned-checkout")
                    .roleArn("arn:aws:iam::123456789012:role/kindling-test")
                    .definition("{\"StartAt\": \"Wait\", \"States\": {\"Wait\": {\"Type\": \"Wait\", \"Seconds\": 3600, \"End\": true}}}"))
                    .stateMachineArn();
            var launcher = new StepFunctionsLauncher(() -> sfn, Map.of("abandoned-checkout", machine));

            assertThat(launcher.start("abandoned-checkout", "demo-abandoned-checkout-tok-1", Json.object().put("key", "tok-1"))).isTrue();
            // Standard workflows: the same name and input while running is the same execution (StartExecution is idempotent)
            assertThat(launcher.start("abandoned-checkout", "demo-abandoned-checkout-tok-1", Json.object().put("key", "tok-1"))).isTrue();
            assertThat(launcher.start("abandoned-checkout", "demo-abandoned-checkout-tok-1", Json.object().put("key", "tok-1").put("other", 1)))
                    .as("the name with other input starts nothing").isFalse();
            assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine)).executions()).hasSize(1);
            assertThat(launcher.stop("abandoned-checkout", "demo-abandoned-checkout-tok-1", "Kindling.GoalReached", "ordered: order 1")).isTrue();
            String arn = machine.replace(":stateMachine:", ":execution:") + ":demo-abandoned-checkout-tok-1";
            assertThat(sfn.describeExecution(b -> b.executionArn(arn)).status()).isEqualTo(ExecutionStatus.ABORTED);
            assertThat(launcher.stop("abandoned-checkout", "demo-abandoned-checkout-tok-1", "Kindling.GoalReached", "ordered: order 1"))
                    .as("an ended execution is not stopped again (nor counted)").isFalse();
            assertThat(launcher.stop("abandoned-checkout", "never-started", "Kindling.GoalReached", "ordered")).isFalse();
            assertThat(launcher.stop("no-such-journey", "x", "Kindling.GoalReached", "ordered")).isFalse();
        }
    }

    /**
     * A start to come is a one-time schedule in the journey group (moto_server's Scheduler API), named after the execution
     * (shortened with its hash past Scheduler's 64 characters), whose universal target is StartExecution with that name and
     * the input; made once, cancelled once, a stop cancels it too, and none is made for an execution that started already.
     */
    @Test
    void aStartToComeIsOneSchedulePerNameThatACancelOrAStopDeletes() throws Exception {
        try (MotoServer moto = MotoServer.startOrSkip();
             SfnClient sfn = SfnClient.builder().endpointOverride(URI.create(moto.endpoint)).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                     .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             SchedulerClient scheduler = SchedulerClient.builder().endpointOverride(URI.create(moto.endpoint)).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                     .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            scheduler.createScheduleGroup(b -> b.name("kindling-test-journeys"));
            String machine = sfn.createStateMachine(b -> b.name("kindling-test-flow").roleArn("arn:aws:iam::123456789012:role/kindling-test")
                    .definition("{\"StartAt\": \"Wait\", \"States\": {\"Wait\": {\"Type\": \"Wait\", \"Seconds\": 3600, \"End\": true}}}"))
                    .stateMachineArn();
            var launcher = new StepFunctionsLauncher(() -> sfn, Map.of("flow", machine), new StepFunctionsLauncher.Schedules(() -> scheduler,
                    "kindling-test-journeys", JOURNEY_FUNCTION, "arn:aws:iam::123456789012:role/kindling-test-journey-scheduler", "arn:aws:sqs:us-east-1:123456789012:failed"));
            String name = "demo-abandoned-checkout-" + "t".repeat(56); // 80 characters, Step Functions' longest name
            Instant at = Instant.parse("2026-11-27T16:00:00.250Z");

            assertThat(launcher.startAt("abandoned-checkout", name, Json.object().put("key", "tok-1").put("at", 1), at)).isTrue();
            assertThat(launcher.startAt("abandoned-checkout", name, Json.object().put("key", "tok-1").put("at", 1), at)).as("a repeat schedules nothing").isFalse();
            var schedules = scheduler.listSchedules(b -> b.groupName("kindling-test-journeys")).schedules();
            assertThat(schedules).hasSize(1);
            assertThat(schedules.getFirst().name()).hasSizeLessThanOrEqualTo(64).startsWith("demo-abandoned-checkout-");
            var schedule = scheduler.getSchedule(b -> b.groupName("kindling-test-journeys").name(schedules.getFirst().name()));
            assertThat(schedule.scheduleExpression()).as("not before the wait's end").isEqualTo("at(2026-11-27T16:00:01)");
            assertThat(schedule.target().arn()).as("it invokes JourneyFunction, whose first turn starts an execution only if one is needed")
                    .isEqualTo(JOURNEY_FUNCTION);
            var begin = Json.read(schedule.target().input(), com.fasterxml.jackson.databind.JsonNode.class);
            assertThat(begin.path("key").asText()).isEqualTo("tok-1");
            assertThat(begin.path("at").asInt()).isEqualTo(1);

            assertThat(launcher.cancel("abandoned-checkout", name)).isTrue();
            assertThat(launcher.cancel("abandoned-checkout", name)).as("cancelled once").isFalse();
            assertThat(scheduler.listSchedules(b -> b.groupName("kindling-test-journeys")).schedules()).isEmpty();
            assertThat(launcher.startAt("abandoned-checkout", "demo-browse-c1-2026-11-27", Json.object(), at)).isTrue();
            assertThat(launcher.stop("browse-abandonment", "demo-browse-c1-2026-11-27", "Kindling.Erased", "erased")).as("a stop cancels a start to come").isTrue();
            assertThat(scheduler.listSchedules(b -> b.groupName("kindling-test-journeys")).schedules()).isEmpty();

            // the schedule fired and deleted itself, and the trigger comes again: the execution is there, so nothing is scheduled
            assertThat(launcher.start("browse-abandonment", "demo-browse-c2-2026-11-27", Json.object().put("at", 1))).isTrue();
            assertThat(launcher.startAt("browse-abandonment", "demo-browse-c2-2026-11-27", Json.object().put("at", 1), at))
                    .as("started already").isFalse();
            assertThat(scheduler.listSchedules(b -> b.groupName("kindling-test-journeys")).schedules()).isEmpty();

            // the turns after plain waits: each its own schedule, never under the name of the one that invoked the turn
            // (which deletes itself only once it has completed); a stop deletes whichever is to come
            assertThat(launcher.nextTurnAt("abandoned-checkout", name, 1, Json.object().put("at", 3), at.plusSeconds(86_400))).isTrue();
            assertThat(launcher.nextTurnAt("abandoned-checkout", name, 1, Json.object().put("at", 3), at.plusSeconds(86_400))).as("once").isFalse();
            assertThat(launcher.nextTurnAt("abandoned-checkout", name, 2, Json.object().put("at", 5), at.plusSeconds(3 * 86_400)))
                    .as("the turn after, while the first's schedule is still there").isTrue();
            var turns = scheduler.listSchedules(b -> b.groupName("kindling-test-journeys")).schedules();
            assertThat(turns).hasSize(2).allSatisfy(t -> assertThat(t.name()).hasSizeLessThanOrEqualTo(64).startsWith("demo-abandoned-checkout-"));
            assertThat(turns.stream().map(t -> t.name()).distinct()).hasSize(2);
            assertThat(scheduler.getSchedule(b -> b.groupName("kindling-test-journeys").name(turns.getFirst().name())).target().arn()).isEqualTo(JOURNEY_FUNCTION);
            assertThat(launcher.cancel("abandoned-checkout", name)).as("a cancel is the first turn's only (it was counted entered)").isFalse();
            assertThat(launcher.stop("abandoned-checkout", name, "Kindling.Erased", "erased")).isTrue();
            assertThat(scheduler.listSchedules(b -> b.groupName("kindling-test-journeys")).schedules()).isEmpty();
            assertThat(launcher.stop("abandoned-checkout", name, "Kindling.Erased", "erased")).as("nothing left").isFalse();
        }
    }
}
