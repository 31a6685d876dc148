package dev.kindling.local;

import static dev.kindling.local.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** template.yaml and the code agree: every handler exists, the local runtime can build it, and every function has sample events. */
class TemplateTest {
    final SamTemplate template = SamTemplate.fromClasspath();

    @Test
    void everyHandlerInTheTemplateIsAStreamHandlerThatExists() throws Exception {
        assertThat(template.functions()).extracting(SamTemplate.Function::name).contains("IngestFunction", "AdminFunction",
                "EventFunction", "SegmentFunction", "SegmentRefreshFunction");
        for (SamTemplate.Function f : template.functions()) {
            assertThat(f.handler()).endsWith("::handleRequest");
            Class<?> handler = Class.forName(f.handlerClass());
            assertThat(RequestStreamHandler.class.isAssignableFrom(handler)).as(f.handler()).isTrue();
            assertThat(handler.getConstructor()).as("no-argument constructor for Lambda").isNotNull();
        }
    }

    @Test
    void theLocalRuntimeCanBuildEveryFunction() {
        var constructors = LocalFunctions.constructors();
        for (SamTemplate.Function f : template.functions()) {
            assertThat(constructors).as(f.handlerClass()).containsKey(f.handlerClass());
        }
    }

    @Test
    void everyFunctionHasSampleEventsAndEverySampleFolderIsAFunction() throws IOException {
        List<String> folders;
        try (Stream<Path> list = Files.list(Path.of("../../events"))) {
            folders = list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.equals("payloads")).toList();
        }
        assertThat(folders).containsExactlyInAnyOrderElementsOf(template.functions().stream().map(SamTemplate.Function::name).toList());
    }

    @Test
    void routesAreReadWithTheirMethodsAndPaths() {
        var ingest = template.functions().stream().filter(f -> f.name().equals("IngestFunction")).findFirst().orElseThrow();
        assertThat(ingest.routes()).extracting(SamTemplate.HttpRoute::routeKey)
                .containsExactlyInAnyOrder("POST /webhooks/shopify/{shopId}", "POST /webhooks/woocommerce/{shopId}", "POST /v1/{type+}",
                        "OPTIONS /v1/{type+}", "POST /webhooks/segment/{shopId}");
    }

    @Test
    void theRefreshScheduleIsReadWithItsParameterDefaultAndInput() {
        var refresh = template.functions().stream().filter(f -> f.name().equals("SegmentRefreshFunction")).findFirst().orElseThrow();
        assertThat(refresh.schedules()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("SegmentRefreshFunction.Schedule");
            assertThat(s.expression()).isEqualTo("cron(5 * * * ? *)");
            assertThat(s.input()).contains("time-based");
        });
        assertThat(LocalScheduler.next(refresh.schedules().getFirst().expression(), Instant.parse("2026-11-22T10:06:00Z")))
                .isEqualTo(Instant.parse("2026-11-22T11:05:00Z"));
        assertThat(LocalScheduler.next("rate(15 minutes)", Instant.parse("2026-11-22T10:06:00Z")))
                .isEqualTo(Instant.parse("2026-11-22T10:21:00Z"));
    }

    /** The properties that give a resource its physical name, for the resource types a SAM template of ours may hold. */
    private static final Set<String> NAME_PROPERTIES = Set.of("Name", "TableName", "FunctionName", "AlarmName", "QueueName", "TopicName",
            "StateMachineName", "BucketName", "DashboardName", "RoleName", "ScheduleGroupName", "ArchiveName", "LogGroupName");

    /**
     * Every name a resource is given must be scoped to the stage (or the stack), or two stages of
     * Kindling collide in one account and region; a schedule SAM makes from a {@code ScheduleV2}
     * event without a Name is named after its logical id, the same in every stage.
     */
    static List<String> namesNotScopedToTheStage(Map<String, Object> document) {
        List<String> problems = new ArrayList<>();
        map(document.get("Resources")).forEach((resource, r) -> {
            Map<String, Object> props = map(map(r).get("Properties"));
            props.forEach((property, value) -> {
                if (NAME_PROPERTIES.contains(property) && !scoped(value)) problems.add(resource + "." + property);
            });
            map(props.get("Events")).forEach((event, e) -> {
                if (!"ScheduleV2".equals(map(e).get("Type"))) return;
                Object name = map(map(e).get("Properties")).get("Name");
                if (name == null || !scoped(name)) problems.add(resource + ".Events." + event + ".Name");
            });
        });
        return problems;
    }

    private static boolean scoped(Object value) {
        String text = String.valueOf(value);
        return text.contains("${Stage}") || text.contains("${AWS::StackName}") || value instanceof Map<?, ?> m && m.containsKey("Ref");
    }

    @Test
    void everyNamedResourceIsScopedToItsStageSoTwoStagesShareAnAccount() throws IOException {
        Map<String, Object> document;
        try (var in = Files.newInputStream(Path.of("../../template.yaml"))) {
            document = SamTemplate.readDocument(in);
        }
        assertThat(namesNotScopedToTheStage(document)).isEmpty();

        // the check would catch what collided before: a fixed configuration set name and an unnamed schedule
        Map<String, Object> offender = SamTemplate.readDocument(new java.io.ByteArrayInputStream("""
                Resources:
                  Set: {Type: AWS::SES::ConfigurationSet, Properties: {Name: kindling-email}}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Schedule: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 hour)}}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(namesNotScopedToTheStage(offender)).containsExactlyInAnyOrder("Set.Name", "Fn.Events.Schedule.Name");
    }

    @Test
    void theLocalRuntimeListensForTheConfigurationSetTheTemplateNames() {
        var engagement = template.functions().stream().filter(f -> f.name().equals("EngagementFunction")).findFirst().orElseThrow();
        assertThat(engagement.eventPatterns()).singleElement().asString().contains("\"" + LocalRuntime.CONFIGURATION_SET + "\"");
    }

    /** cfn-lint (with the SAM translator: it runs the SAM transform first) finds no error or warning in the template. */
    @Test
    void cfnLintPassesTheTemplate() throws Exception {
        boolean installed = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "cfn-lint")));
        Assumptions.assumeTrue(installed, "cfn-lint is not on PATH (this machine image's Python ships it)");
        Process lint = new ProcessBuilder("cfn-lint", "template.yaml").directory(Path.of("../..").toFile()).redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor()).as(output).isZero();
    }
}
