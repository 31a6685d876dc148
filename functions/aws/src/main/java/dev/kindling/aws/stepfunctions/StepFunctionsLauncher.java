package dev.kindling.aws.stepfunctions;

import dev.kindling.lazy.Lazy;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.journey.JourneyLauncher;
import dev.kindling.journey.flow.Flow;
import dev.kindling.json.Json;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * {@link JourneyLauncher} over Step Functions: StartExecution with the execution name as the
 * dedupe (a Standard workflow refuses a second execution of one name for 90 days).
 */
public final class StepFunctionsLauncher implements JourneyLauncher {
    private final Lazy<SfnClient> client;
    private final Map<String, String> stateMachineArns;

    /** @param stateMachineArns journey id → state machine ARN */
    public StepFunctionsLauncher(Supplier<SfnClient> client, Map<String, String> stateMachineArns) {
        this.client = Lazy.of(client);
        this.stateMachineArns = Map.copyOf(stateMachineArns);
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

    /** DescribeExecution first (free, like StopExecution): only a running execution is stopped, and the answer says whether one was. */
    @Override
    public boolean stop(String journey, String executionName, String error, String cause) {
        String arn = machine(journey);
        if (arn == null) return false;
        String execution = arn.replace(":stateMachine:", ":execution:") + ":" + executionName;
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
