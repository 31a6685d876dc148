package dev.kindling.local;

import dev.kindling.local.lambda.DeployedStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a function gets when it runs from its sam build artifact against this local
 * runtime ({@code bin/kindling invoke}): template.yaml's variables resolved with the runtime's own
 * names (its table, bus, journeys, base URL), and the SDK's {@code AWS_ENDPOINT_URL_*} pointing
 * DynamoDB at the runtime's DynamoDB Local and EventBridge, SSM, Step Functions and SES v2 at the
 * runtime itself ({@link LocalAwsApi}).
 */
final class LocalFunctionEnvironments {
    private final DeployedStack stack;
    private final Map<String, String> refs = new LinkedHashMap<>();
    private final String baseUrl;
    private final String dynamoEndpoint;

    /** @param dynamoEndpoint DynamoDB Local's endpoint, or null when it runs embedded (then no function can be invoked this way) */
    LocalFunctionEnvironments(String baseUrl, String dynamoEndpoint) {
        this.baseUrl = baseUrl;
        this.dynamoEndpoint = dynamoEndpoint;
        Map<String, Object> document;
        try (InputStream in = LocalFunctionEnvironments.class.getResourceAsStream("/template.yaml")) {
            document = SamTemplate.readDocument(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stack = DeployedStack.of(document, Map.of(), Map.of("PublicBaseUrl", baseUrl, "SenderAddress", "hello@kindling.local",
                "SenderDomain", "kindling.local"));
        refs.put("AWS::Region", LocalBus.REGION);
        refs.put("AWS::AccountId", LocalBus.ACCOUNT);
        refs.put("AWS::Partition", "aws");
        refs.put("AWS::StackName", "kindling-local");
        refs.put("AWS::URLSuffix", "amazonaws.com");
        for (String table : stack.resourcesOfType("AWS::DynamoDB::Table")) refs.put(table, LocalRuntime.TABLE);
        for (String bus : stack.resourcesOfType("AWS::Events::EventBus")) refs.put(bus, LocalRuntime.BUS);
        for (String set : stack.resourcesOfType("AWS::SES::ConfigurationSet")) refs.put(set, LocalRuntime.CONFIGURATION_SET);
        for (String bucket : stack.resourcesOfType("AWS::S3::Bucket")) refs.put(bucket, LocalExportFiles.BUCKET);
        for (String machine : stack.resourcesOfType("AWS::Serverless::StateMachine")) {
            String file = String.valueOf(stack.rawProperty(machine, "DefinitionUri"));
            refs.put(machine, LocalAwsApi.stateMachineArn(file.substring(file.lastIndexOf('/') + 1).replace(".asl.json", "")));
        }
        for (String function : stack.functions()) refs.put(function, function);
    }

    /** Where an invoked function reads the shops (SHOPS_PARAMETER_PATH). */
    String shopsParameterPath() {
        return stack.environment(stack.functions().getFirst(), refs).get("SHOPS_PARAMETER_PATH");
    }

    /** The function's environment, or null when the function does not exist. */
    Map<String, String> environment(String function) {
        if (!stack.functions().contains(function)) return null;
        if (dynamoEndpoint == null) throw new IllegalStateException("DynamoDB Local runs embedded (no port): start the runtime with --dynamodb-port");
        Map<String, String> env = new TreeMap<>(stack.environment(function, refs));
        env.put("AWS_REGION", LocalBus.REGION);
        env.put("AWS_DEFAULT_REGION", LocalBus.REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint);
        for (String service : new String[] {"EVENTBRIDGE", "SSM", "SFN", "SESV2", "S3"}) env.put("AWS_ENDPOINT_URL_" + service, baseUrl);
        return env;
    }

    String handler(String function) {
        return stack.handler(function);
    }

    int memorySize(String function) {
        return stack.memorySize(function);
    }
}
