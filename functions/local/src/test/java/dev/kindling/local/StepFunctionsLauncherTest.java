package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.aws.stepfunctions.StepFunctionsLauncher;
import dev.kindling.json.Json;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The Step Functions adapter against moto_server's Step Functions API: a name starts one execution, and
 * a stop ends only an execution that is running (DescribeExecution first), saying whether it did, which is
 * what the journeys ended by an order are counted by.
 */
class StepFunctionsLauncherTest {

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
}
