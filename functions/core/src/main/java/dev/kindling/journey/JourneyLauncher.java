package dev.kindling.journey;

import com.fasterxml.jackson.databind.JsonNode;

/** Starts journey executions: Step Functions on AWS, the local journey engine here. */
public interface JourneyLauncher {

    /** Starts an execution; false when one of that name exists already (the name is the dedupe). */
    boolean start(String journey, String executionName, JsonNode input);

    /** Stops a running execution at once (a person erased); nothing when it has ended or never ran. */
    void stop(String journey, String executionName);
}
