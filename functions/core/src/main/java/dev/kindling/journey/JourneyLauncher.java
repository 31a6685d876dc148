package dev.kindling.journey;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** Starts journey executions: Step Functions on AWS, the local journey engine here. */
public interface JourneyLauncher {

    /**
     * Starts an execution; false when one of that name exists already (the name is the dedupe). Step Functions answers a
     * repeat with the same input, while that execution runs, as the start it already made (true): still one execution.
     * The input is a new entry's, which the execution turns first, or a begun one's ({@code FlowSteps#onSchedule}, waiting
     * for an event), turned already, which its first Turn hands on as it is to its pause.
     */
    boolean start(String journey, String executionName, JsonNode input);

    /**
     * Begins the entry at {@code at}, not before: a one-time EventBridge Scheduler schedule on AWS, which invokes
     * JourneyFunction with {@code input} (its first turn, {@code FlowSteps#onSchedule}, which starts an execution only if
     * the journey waits for an event) and deletes itself once it has fired. An entry whose journey begins with a wait holds no
     * running execution (and pays no state transitions) through it, and its goal reached meanwhile cancels it
     * ({@link #cancel}). False when a start of that name is scheduled already, or was made.
     */
    boolean startAt(String journey, String executionName, JsonNode input, Instant at);

    /**
     * Takes the entry's next turn at {@code at}, not before, as {@link #startAt} takes its first: after a plain wait (a time,
     * not an event), which holds no execution either. {@code turn} counts the entry's scheduled turns (1 for the one after
     * its first), so the schedule of one turn is never the one the turn before it fired (which deletes itself only once it
     * has completed). False when that turn is scheduled already.
     */
    boolean nextTurnAt(String journey, String executionName, int turn, JsonNode input, Instant at);

    /** Cancels a start {@link #startAt} scheduled that has not happened yet; true when it was still to come. */
    boolean cancel(String journey, String executionName);

    /**
     * Stops a running execution at once, as ABORTED with {@code error} and {@code cause} (a person erased, a journey's
     * goal reached), or cancels its start or next turn still to come; true when it was running or to come, false when it
     * had ended or never was.
     */
    boolean stop(String journey, String executionName, String error, String cause);

    /**
     * SendTaskSuccess: the execution waiting with this callback token (a journey waiting for an event) goes on with
     * {@code output} as the task's result; false when nothing waits with it any more (answered, timed out, stopped).
     */
    boolean resume(String journey, String token, JsonNode output);
}
