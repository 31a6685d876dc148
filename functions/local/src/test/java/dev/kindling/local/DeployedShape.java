package dev.kindling.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.aws.dynamodb.KindlingTable;
import dev.kindling.aws.sigv4.SigV4Http;
import dev.kindling.json.Json;
import dev.kindling.local.lambda.DeployedStack;
import dev.kindling.local.lambda.FunctionProcess;
import dev.kindling.local.lambda.Invoke;
import dev.kindling.local.lambda.SamBuild;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The deployed shape on this machine: each function's {@code sam build} artifact (made by the
 * project's Makefile in a scratch copy, as SAM does), the stack's resources on real local engines
 * (DynamoDB Local as a server; {@code moto_server} for SSM, EventBridge, Step Functions and
 * Scheduler; the npm SES v2 emulator), and each function started from its artifact alone through
 * AWS's Runtime Interface Client with the environment template.yaml gives it under samconfig's
 * {@code default} parameters.
 */
final class DeployedShape implements AutoCloseable {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final String REGION = "us-east-1";
    /** moto's default account. */
    static final String ACCOUNT = "123456789012";
    /** The parameters a first deploy has to give (they have no default): values for this machine. */
    static final Map<String, String> FIRST_DEPLOY_PARAMETERS = Map.of(
            "PublicBaseUrl", "https://mail.shop.example", "SenderAddress", "hello@shop.example", "SenderDomain", "shop.example");

    private static Path scratch;
    private static final Map<String, Path> ARTIFACTS = new TreeMap<>();

    final DeployedStack stack;
    final Map<String, String> refs;
    private final MotoServer moto;
    private final SesEmulator ses;
    private final EmbeddedDynamo dynamo;
    private final String dynamoEndpoint;

    DeployedShape() throws Exception {
        moto = MotoServer.startOrSkip();
        ses = new SesEmulator();
        dynamo = EmbeddedDynamo.server(0, null);
        dynamoEndpoint = dynamo.endpoint();
        stack = DeployedStack.read(ROOT.resolve("template.yaml"), ROOT.resolve("samconfig.toml"), "default", FIRST_DEPLOY_PARAMETERS);
        refs = physicalNames(stack);
        createResources();
    }

    /**
     * The physical name (what {@code Ref} gives) and attributes of every resource, as CloudFormation
     * would name them in stack {@code kindling-<Stage>}.
     */
    private static Map<String, String> physicalNames(DeployedStack stack) {
        String stackName = "kindling-" + stack.parameters().get("Stage");
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put("AWS::Region", REGION);
        refs.put("AWS::AccountId", ACCOUNT);
        refs.put("AWS::Partition", "aws");
        refs.put("AWS::StackName", stackName);
        refs.put("AWS::URLSuffix", "amazonaws.com");
        for (String table : stack.resourcesOfType("AWS::DynamoDB::Table")) {
            refs.put(table, stackName + "-" + table);
            refs.put(table + ".Arn", "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + stackName + "-" + table);
        }
        for (String bus : stack.resourcesOfType("AWS::Events::EventBus")) {
            String name = stack.resolvedProperty(bus, "Name", refs);
            refs.put(bus, name);
            refs.put(bus + ".Arn", "arn:aws:events:" + REGION + ":" + ACCOUNT + ":event-bus/" + name);
        }
        for (String function : stack.functions()) {
            String arn = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + stackName + "-" + function;
            refs.put(function, stackName + "-" + function);
            refs.put(function + ".Arn", arn);
            refs.put(function + ".Alias", arn + ":live");
        }
        for (String set : stack.resourcesOfType("AWS::SES::ConfigurationSet")) refs.put(set, stack.resolvedProperty(set, "Name", refs));
        for (String group : stack.resourcesOfType("AWS::Scheduler::ScheduleGroup")) refs.put(group, stack.resolvedProperty(group, "Name", refs));
        for (String bucket : stack.resourcesOfType("AWS::S3::Bucket")) {
            String name = (stackName + "-" + bucket).toLowerCase(Locale.ROOT); // CloudFormation's generated name, in S3's lower case
            refs.put(bucket, name);
            refs.put(bucket + ".Arn", "arn:aws:s3:::" + name);
        }
        for (String role : stack.resourcesOfType("AWS::IAM::Role")) refs.put(role + ".Arn", "arn:aws:iam::" + ACCOUNT + ":role/" + stackName + "-" + role);
        for (String queue : stack.resourcesOfType("AWS::SQS::Queue")) {
            String name = stack.resolvedProperty(queue, "QueueName", refs);
            refs.put(queue, "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + name); // Ref gives the queue's URL
            refs.put(queue + ".Arn", "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name);
        }
        for (String machine : stack.resourcesOfType("AWS::Serverless::StateMachine")) {
            String name = stack.resolvedProperty(machine, "Name", refs);
            refs.put(machine, "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name);
            refs.put(machine + ".Name", name);
        }
        return refs;
    }

    private void createResources() throws IOException {
        for (String table : stack.resourcesOfType("AWS::DynamoDB::Table")) KindlingTable.create(dynamo.client(), refs.get(table));
        try (EventBridgeClient events = client(EventBridgeClient.builder(), moto.endpoint)) {
            for (String bus : stack.resourcesOfType("AWS::Events::EventBus")) events.createEventBus(b -> b.name(refs.get(bus)));
        }
        try (SfnClient sfn = client(SfnClient.builder(), moto.endpoint)) {
            for (String machine : stack.resourcesOfType("AWS::Serverless::StateMachine")) {
                String definition = Files.readString(ROOT.resolve(String.valueOf(stack.rawProperty(machine, "DefinitionUri"))));
                @SuppressWarnings("unchecked")
                Map<String, Object> substitutions = (Map<String, Object>) stack.rawProperty(machine, "DefinitionSubstitutions");
                for (var s : substitutions.entrySet()) {
                    definition = definition.replace("${" + s.getKey() + "}", stack.resolve(s.getValue(), refs, machine));
                }
                String body = definition;
                sfn.createStateMachine(b -> b.name(refs.get(machine + ".Name")).definition(body)
                        .roleArn("arn:aws:iam::" + ACCOUNT + ":role/" + machine + "Role"));
            }
        }
        try (var scheduler = client(SchedulerClient.builder(), moto.endpoint)) {
            for (String group : stack.resourcesOfType("AWS::Scheduler::ScheduleGroup")) scheduler.createScheduleGroup(b -> b.name(refs.get(group)));
        }
        try (var sqs = client(SqsClient.builder(), moto.endpoint)) {
            for (String queue : stack.resourcesOfType("AWS::SQS::Queue")) {
                sqs.createQueue(b -> b.queueName(stack.resolvedProperty(queue, "QueueName", refs)));
            }
        }
        var s3 = new SigV4Http(UrlConnectionHttpClient.create(), StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")), REGION);
        for (String bucket : stack.resourcesOfType("AWS::S3::Bucket")) {
            var made = s3.send(SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(URI.create(moto.endpoint + "/" + refs.get(bucket))).build(), null, "s3");
            if (!made.ok()) throw new IllegalStateException("moto did not make bucket " + refs.get(bucket) + ": " + made.status());
        }
        // the shop's credentials as the README tells a shop to store them
        String path = stack.parameters().get("Stage");
        try (SsmClient ssm = client(SsmClient.builder(), moto.endpoint)) {
            ssm.putParameter(b -> b.name("/kindling/" + path + "/shops/demo").type(ParameterType.SECURE_STRING).value(Json.write(ShopsFile.DEMO)));
        }
    }

    /** What a function's JVM gets: the template's variables, the region and credentials Lambda gives, the local engines' endpoints. */
    Map<String, String> environment(String function) {
        Map<String, String> env = new TreeMap<>(stack.environment(function, refs));
        env.put("AWS_REGION", REGION);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint);
        // the emulators enforce no IAM: a service the function's policy does not allow is pointed at a closed port, so a
        // function that calls what it may not call on AWS fails here too (port 9, discard, is closed on this machine)
        Set<String> allowed = stack.allowedActions(function);
        env.put("AWS_ENDPOINT_URL_SSM", allows(allowed, "ssm:") ? moto.endpoint : CLOSED);
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", allows(allowed, "events:") ? moto.endpoint : CLOSED);
        env.put("AWS_ENDPOINT_URL_SFN", allows(allowed, "states:") ? moto.endpoint : CLOSED);
        env.put("AWS_ENDPOINT_URL_SCHEDULER", allows(allowed, "scheduler:") ? moto.endpoint : CLOSED);
        env.put("AWS_ENDPOINT_URL_SESV2", allows(allowed, "ses:") ? ses.endpoint : CLOSED);
        env.put("AWS_ENDPOINT_URL_SQS", allows(allowed, "sqs:") ? moto.endpoint : CLOSED);
        env.put("AWS_ENDPOINT_URL_S3", allows(allowed, "s3:") ? moto.endpoint : CLOSED);
        return env;
    }

    /** The emails the SES v2 emulator received. */
    List<JsonNode> sentEmails() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        ses.store().forEach(out::add);
        return out;
    }

    static final String CLOSED = "http://127.0.0.1:9";

    private static boolean allows(Set<String> actions, String servicePrefix) {
        return actions.stream().anyMatch(a -> a.startsWith(servicePrefix));
    }

    FunctionProcess start(String function) throws Exception {
        return FunctionProcess.start(function, artifact(function), stack.handler(function), environment(function), stack.memorySize(function));
    }

    /** The function's {@code sam build} artifact; every makefile function is built once per test JVM. */
    static synchronized Path artifact(String function) throws Exception {
        if (!ARTIFACTS.containsKey(function)) ARTIFACTS.put(function, SamBuild.build(scratch(), function, scratch().resolveSibling("artifacts").resolve(function)));
        return ARTIFACTS.get(function);
    }

    /**
     * A copy of the project as {@code sam build} copies it to its scratch folder (modification times
     * kept, so make sees the built jar as up to date unless a source is newer), without the parts
     * SAM's builder skips and the build output other than the shaded jar.
     */
    static synchronized Path scratch() throws IOException {
        if (scratch != null) return scratch;
        Path base = Files.createTempDirectory("kindling-sam-build");
        // the project's copy and its built artifacts come to over a gigabyte: gone when the test JVM ends
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Invoke.deleteTree(base);
            } catch (IOException e) {
                System.err.println("could not delete " + base + ": " + e);
            }
        }));
        Path target = Files.createDirectories(base.resolve("source"));
        Set<String> skipped = Set.of(".git", ".aws-sam", "node_modules", ".kindling");
        Path jar = ROOT.resolve("functions/handlers/target/kindling-functions.jar");
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(ROOT)) return FileVisitResult.CONTINUE;
                boolean buildOutput = false;
                for (Path part : ROOT.relativize(dir)) buildOutput |= part.toString().equals("target");
                if (skipped.contains(dir.getFileName().toString()) || buildOutput && !dir.equals(jar.getParent())) return FileVisitResult.SKIP_SUBTREE;
                Files.createDirectories(target.resolve(ROOT.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getParent().getFileName().toString().equals("target") && !file.equals(jar)) return FileVisitResult.CONTINUE;
                Files.copy(file, target.resolve(ROOT.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
        scratch = target;
        return scratch;
    }

    private static <B extends AwsClientBuilder<B, C>, C> C client(B builder, String endpoint) {
        builder.endpointOverride(URI.create(endpoint)).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        if (builder instanceof AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder());
        }
        return builder.build();
    }

    @Override
    public void close() throws Exception {
        dynamo.close();
        ses.close();
        moto.close();
    }
}
