package dev.kindling.journey;

import com.fasterxml.jackson.databind.JsonNode;

/** Starts journey executions: Step Functions on AWS, the local journey engine here. */
public interface JourneyLauncher {

    /**
     * Starts an execution; false when one of that name exists already (the name is the dedupe). Step Functions answers a
     * repeat with the same input, while that execution runs, as the start it already made (true): still one execution.
     */
    boolean start(String journey, String executionName, JsonNode input);

    /**
     * Stops a running execution at once, as ABORTED with {@code error} and {@code cause} (a person erased, a journey's
     * goal reached); true when it was running, false when it had ended or never ran.
     */
    boolean stop(String journey, String executionName, String error, String cause);

    /**
     * SendTaskSuccess: the execution waiting with this callback token (a journey waiting for an event) goes on with
     * {@code output} as the task's result; false when nothing waits with it any more (answered, timed out, stopped).
     */
    boolean resume(String journey, String token, JsonNode output);
}
