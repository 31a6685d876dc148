package dev.kindling.aws.stepfunctions;

import dev.kindling.lazy.Lazy;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.journey.JourneyLauncher;
import dev.kindling.journey.flow.Flow;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * {@link JourneyLauncher} over Step Functions: StartExecution with the execution name as the
 * dedupe (a Standard workflow refuses a second execution of one name for 90 days). A start to come
 * is a one-time EventBridge Scheduler schedule in the stack's journey group, which invokes
 * JourneyFunction with the entry when it fires (its first turn, {@code FlowSteps#onSchedule}, starts
 * the execution only if the journey waits for an event), then deletes itself; so does the schedule of
 * the turn after a plain wait ({@link #nextTurnAt}).
 */
public final class StepFunctionsLauncher implements JourneyLauncher {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * @param group         the stack's schedule group for journey starts
     * @param functionArn   JourneyFunction's alias, which the schedule invokes (asynchronously: Lambda retries a failed
     *                      turn twice, then keeps it in the function's dead-letter queue)
     * @param roleArn       the role Scheduler assumes to invoke it (lambda:InvokeFunction on it, nothing else)
     * @param deadLetterArn where a start goes that could not be delivered after its retries
     */
    public record Schedules(Supplier<SchedulerClient> client, String group, String functionArn, String roleArn, String deadLetterArn) {}

    private final Lazy<SfnClient> client;
    private final Map<String, String> stateMachineArns;
    private final Schedules schedules;
    private final Lazy<SchedulerClient> scheduler;

    /** @param stateMachineArns journey id → state machine ARN */
    public StepFunctionsLauncher(Supplier<SfnClient> client, Map<String, String> stateMachineArns) {
        this(client, stateMachineArns, null);
    }

    /** @param schedules where starts to come are kept; null: the functions that start no journey */
    public StepFunctionsLauncher(Supplier<SfnClient> client, Map<String, String> stateMachineArns, Schedules schedules) {
        this.client = Lazy.of(client);
        this.stateMachineArns = Map.copyOf(stateMachineArns);
        this.schedules = schedules;
        this.scheduler = schedules == null ? null : Lazy.of(schedules.client());
    }

    @Override
    public boolean startAt(String journey, String executionName, JsonNode input, Instant at) {
        String arn = machine(journey);
        if (arn == null) throw new IllegalStateException("no state machine for journey " + journey);
        // a trigger delivered again after its schedule fired (and deleted itself) finds the execution, not the schedule
        if (exists(arn, executionName)) return false;
        return schedule(scheduleName(executionName), Flow.executionInput(executionName, input), at);
    }

    @Override
    public boolean nextTurnAt(String journey, String executionName, int turn, JsonNode input, Instant at) {
        return schedule(nextTurnName(executionName, turn), Flow.executionInput(executionName, input), at);
    }

    /** A one-time schedule that invokes JourneyFunction with {@code input} at {@code at} (whole seconds, not before); false when it exists. */
    private boolean schedule(String name, String input, Instant at) {
        if (schedules == null || schedules.group() == null) throw new IllegalStateException("no schedule group for journey starts");
        try {
            scheduler.get().createSchedule(b -> b.name(name).groupName(schedules.group())
                    .scheduleExpression("at(" + AT.format(at.truncatedTo(ChronoUnit.SECONDS).plusSeconds(at.getNano() > 0 ? 1 : 0)) + ")")
                    .scheduleExpressionTimezone("UTC").flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
                    .actionAfterCompletion(ActionAfterCompletion.DELETE)
                    .target(t -> t.arn(schedules.functionArn()).roleArn(schedules.roleArn()).input(input)
                            .retryPolicy(r -> r.maximumRetryAttempts(5).maximumEventAgeInSeconds(3600))
                            .deadLetterConfig(d -> d.arn(schedules.deadLetterArn()))));
            return true;
        } catch (ConflictException scheduledAlready) {
            return false;
        }
    }

    @Override
    public boolean cancel(String journey, String executionName) {
        return unschedule(scheduleName(executionName));
    }

    /** Deletes a schedule of the journey group; false when there is none of that name (never made, or fired and gone). */
    private boolean unschedule(String name) {
        if (schedules == null || schedules.group() == null) return false;
        try {
            scheduler.get().deleteSchedule(b -> b.name(name).groupName(schedules.group()));
            return true;
        } catch (ResourceNotFoundException none) {
            return false; // never scheduled, or fired already (and deleted itself)
        }
    }

    /**
     * The schedule of an entry's scheduled turn after its first: two names taken in turn ({@code .1}, {@code .2}), so a turn
     * never schedules the next under the name of the schedule that invoked it, which deletes itself only once it has
     * completed. (Execution names have no dot, so these never meet a first start's.)
     */
    static String nextTurnName(String executionName, int turn) {
        return scheduleName(executionName + (turn % 2 == 1 ? ".1" : ".2"));
    }

    /** Schedule names take up to 64 characters, execution names 80: a longer one is shortened with its hash, so names stay unique. */
    static String scheduleName(String executionName) {
        return executionName.length() <= 64 ? executionName : executionName.substring(0, 47) + "-" + Signatures.sha256Hex(executionName).substring(0, 16);
    }

    @Override
    public boolean start(String journey, String executionName, JsonNode input) {
        String arn = machine(journey);
        if (arn == null) throw new IllegalStateException("no state machine for journey " + journey);
        String json = Flow.executionInput(executionName, input);
        try {
            sfn().startExecution(b -> b.stateMachineArn(arn).name(executionName).input(json));
            return true;
        } catch (ExecutionAlreadyExistsException duplicate) {
            return false;
        }
    }

    /** Whether an execution of this name was started (DescribeExecution, free as StopExecution is; for its 90 days of history). */
    private boolean exists(String machineArn, String executionName) {
        try {
            sfn().describeExecution(b -> b.executionArn(executionArn(machineArn, executionName)));
            return true;
        } catch (ExecutionDoesNotExistException none) {
            return false;
        }
    }

    private static String executionArn(String machineArn, String executionName) {
        return machineArn.replace(":stateMachine:", ":execution:") + ":" + executionName;
    }

    /** DescribeExecution first (free, like StopExecution): only a running execution is stopped, and the answer says whether one was. */
    @Override
    public boolean stop(String journey, String executionName, String error, String cause) {
        // both turn names: the schedule that invoked the turn now running may not have deleted itself yet, beside the next's
        boolean first = cancel(journey, executionName);
        boolean odd = unschedule(nextTurnName(executionName, 1)), even = unschedule(nextTurnName(executionName, 2));
        if (first || odd || even) return true;
        String arn = machine(journey);
        if (arn == null) return false;
        String execution = executionArn(arn, executionName);
        try {
            if (sfn().describeExecution(b -> b.executionArn(execution)).status() != ExecutionStatus.RUNNING) return false;
            sfn().stopExecution(b -> b.executionArn(execution).error(error).cause(cause));
            return true;
        } catch (ExecutionDoesNotExistException gone) {
            return false; // never started, or its 90 days of history are over
        }
    }

    @Override
    public boolean resume(String journey, String token, JsonNode output) {
        try {
            sfn().sendTaskSuccess(b -> b.taskToken(token).output(Json.write(output)));
            return true;
        } catch (TaskTimedOutException | TaskDoesNotExistException
                 | InvalidTokenException gone) {
            return false; // answered already, timed out, or the execution was stopped
        }
    }

    /** A shipped journey's own state machine; a journey a shop wrote runs on the flow interpreter. */
    private String machine(String journey) {
        return stateMachineArns.getOrDefault(journey, stateMachineArns.get(Flow.MACHINE));
    }

    private SfnClient sfn() {
        return client.get();
    }
}
