package dev.kindling.local;

import static dev.kindling.local.SamTemplate.list;
import static dev.kindling.local.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What AWS enforces and no emulator here shows, read from template.yaml against AWS's documented rules: an alarm
 * topic CloudWatch can publish to (it cannot use the AWS-managed SNS key), errors alarmed where they are failures
 * (a journey's end is thrown for the state machine to catch, so JourneyFunction's Lambda errors count every
 * finished journey), every function alarmed and on the dashboard, logs kept for a set time, no metric math
 * alarm over CloudWatch's 10 metrics, and every alias's resource policy far from Lambda's 20 KB.
 */
class TemplateOperabilityTest {
    static final Map<String, Object> TEMPLATE = read(Path.of("../../template.yaml"));
    static final Map<String, Object> RESOURCES = map(TEMPLATE.get("Resources"));

    /** CloudWatch: "Alarms based on metric math expressions can reference a maximum of 10 metrics" (a hard limit). */
    static final int MAX_METRICS_PER_ALARM = 10;

    @Test
    void theAlarmTopicIsEncryptedWithAKeyCloudWatchMayUse() {
        Object key = props("AlarmTopic").get("KmsMasterKeyId");
        assertThat(key).as("a key of the stack's own, not the AWS-managed alias/aws/sns").isInstanceOf(Map.class);
        String keyId = (String) map(key).get("Ref");
        assertThat(map(RESOURCES.get(keyId)).get("Type")).isEqualTo("AWS::KMS::Key");
        List<Map<String, Object>> statements = list(map(props(keyId).get("KeyPolicy")).get("Statement"));
        assertThat(statements).anySatisfy(s -> {
            assertThat(s.get("Effect")).isEqualTo("Allow");
            assertThat(map(s.get("Principal")).get("Service")).isEqualTo("cloudwatch.amazonaws.com");
            assertThat(strings(s.get("Action"))).contains("kms:Decrypt", "kms:GenerateDataKey*");
        });
    }

    @Test
    void everyFunctionIsInAnAlarmAndOnTheDashboardAndErrorsAreCountedWhereTheyAreFailures() {
        Set<String> functions = resourcesOfType("AWS::Serverless::Function");
        Set<String> alarmed = new TreeSet<>();
        Set<String> errorsAlarmed = new TreeSet<>();
        for (String alarm : resourcesOfType("AWS::CloudWatch::Alarm")) {
            for (Map<String, Object> metric : metricsOf(alarm)) {
                if (!"AWS/Lambda".equals(metric.get("Namespace"))) continue;
                for (Map<String, Object> d : list(metric.get("Dimensions"))) {
                    String function = (String) map(d.get("Value")).get("Ref");
                    alarmed.add(function);
                    if ("Errors".equals(metric.get("MetricName"))) errorsAlarmed.add(function);
                }
            }
        }
        assertThat(alarmed).containsExactlyInAnyOrderElementsOf(functions);
        assertThat(errorsAlarmed).as("every function but JourneyFunction, whose errors include every journey's end")
                .containsExactlyInAnyOrderElementsOf(functions.stream().filter(f -> !f.equals("JourneyFunction")).toList());
        String dashboard = String.valueOf(map(props("Dashboard").get("DashboardBody")).get("Fn::Sub"));
        for (String function : functions) {
            for (String metric : List.of("Invocations", "Errors", "Duration")) {
                assertThat(dashboard).contains("[\"AWS/Lambda\",\"" + metric + "\",\"FunctionName\",\"${" + function + "}\"]");
            }
        }
    }

    @Test
    void failedJourneysAndServerErrorsTheApiAndTheTrackingUrlAnsweredAreAlarmed() {
        List<Map<String, Object>> watched = new ArrayList<>();
        for (String alarm : resourcesOfType("AWS::CloudWatch::Alarm")) watched.addAll(metricsOf(alarm));
        assertThat(watched).anySatisfy(m -> {
            assertThat(m.get("Namespace")).isEqualTo("AWS/States");
            assertThat(m.get("MetricName")).isEqualTo("ExecutionsFailed");
            assertThat(list(m.get("Dimensions"))).anySatisfy(d -> assertThat(d.get("Value")).isEqualTo(Map.of("Ref", "FlowJourney")));
        });
        for (String failure : List.of("ExecutionsTimedOut", "ExecutionsAborted")) {
            assertThat(watched).anySatisfy(m -> assertThat(m.get("MetricName")).isEqualTo(failure));
        }
        assertThat(watched).anySatisfy(m -> {
            assertThat(m.get("Namespace")).isEqualTo("AWS/ApiGateway");
            assertThat(m.get("MetricName")).isEqualTo("5xx");
            assertThat(list(m.get("Dimensions"))).anySatisfy(d -> assertThat(d.get("Value")).isEqualTo(Map.of("Ref", "HttpApi")));
        });
        // the tracking libraries call IngestFunction's URL, whose answers the API's metrics never count
        assertThat(watched).anySatisfy(m -> {
            assertThat(m.get("Namespace")).isEqualTo("AWS/Lambda");
            assertThat(m.get("MetricName")).isEqualTo("Url5xxCount");
            assertThat(list(m.get("Dimensions"))).containsExactly(Map.of("Name", "FunctionName", "Value", Map.of("Ref", "IngestFunction")));
        });
    }

    /** A stream mapping's function falling behind (its batches failing, or too slow) is alarmed before the stream's 24 hours run out. */
    @Test
    void everyStreamMappingsFunctionIsWatchedForHowFarBehindItIs() {
        List<Map<String, Object>> watched = new ArrayList<>();
        for (String alarm : resourcesOfType("AWS::CloudWatch::Alarm")) watched.addAll(metricsOf(alarm));
        Set<String> mappings = resourcesOfType("AWS::Lambda::EventSourceMapping");
        assertThat(mappings).hasSize(2);
        for (String mapping : mappings) {
            String function = String.valueOf(map(props(mapping).get("FunctionName")).get("Ref")).split("\\.")[0];
            assertThat(watched).as(mapping).anySatisfy(m -> {
                assertThat(m.get("MetricName")).isEqualTo("IteratorAge");
                assertThat(list(m.get("Dimensions"))).containsExactly(Map.of("Name", "FunctionName", "Value", Map.of("Ref", function)));
            });
        }
    }

    @Test
    void noMetricMathAlarmWatchesMoreMetricsThanCloudWatchTakes() {
        for (String alarm : resourcesOfType("AWS::CloudWatch::Alarm")) {
            long metrics = list(props(alarm).get("Metrics")).stream().filter(q -> q.containsKey("MetricStat")).count();
            assertThat(metrics).as(alarm).isLessThanOrEqualTo(MAX_METRICS_PER_ALARM);
        }
    }

    @Test
    void everyFunctionsAndTheJourneysLogsAreKeptForTheRetentionTheShopSets() {
        for (String function : resourcesOfType("AWS::Serverless::Function")) {
            Object group = map(props(function).get("LoggingConfig")).get("LogGroup");
            assertThat(group).as(function + " logs to a log group the template declares").isInstanceOf(Map.class);
            assertRetained((String) map(group).get("Ref"));
        }
        Map<String, Object> logging = map(props("FlowJourney").get("Logging"));
        assertThat(logging.get("Level")).isEqualTo("ERROR");
        Object arn = map(map(list(logging.get("Destinations")).getFirst().get("CloudWatchLogsLogGroup")).get("LogGroupArn")).get("Fn::GetAtt");
        assertRetained(arn instanceof List<?> l ? String.valueOf(l.getFirst()) : String.valueOf(arn).split("\\.")[0]);
        assertThat(map(props("FlowJourney").get("Tracing")).get("Enabled")).isEqualTo(true);
    }

    /**
     * Lambda: "The maximum size of a function's resource-based policy is 20 KB", and SAM adds one statement to the
     * alias's policy per HttpApi route, EventBridge rule or schedule. Computed from the template as SAM translates
     * it (cfn-lint's transform, offline), each statement written out as Lambda stores it with a realistic stack
     * name, Region, account and generated statement id; every alias stays under half the limit, room for the routes
     * later work adds. The admin API's 48 routes came to about 19.5 KB before it became one greedy route.
     */
    @Test
    void everyAliasPolicyStaysFarFromLambdasLimit() throws Exception {
        Map<String, Object> resources = translatedResources();
        Map<String, Integer> policyBytes = new TreeMap<>();
        Map<String, List<String>> statements = new TreeMap<>();
        resources.forEach((name, resource) -> {
            if (!"AWS::Lambda::Permission".equals(map(resource).get("Type"))) return;
            Map<String, Object> p = map(map(resource).get("Properties"));
            String alias = (String) map(p.get("FunctionName")).get("Ref");
            statements.computeIfAbsent(alias, a -> new ArrayList<>()).add(Json.write(Json.object()
                    .put("Sid", STACK + "-" + name + "-" + "A1B2C3D4E5F6G")
                    .put("Effect", "Allow")
                    .<ObjectNode>set("Principal", Json.object().put("Service", String.valueOf(p.get("Principal"))))
                    .put("Action", String.valueOf(p.get("Action")))
                    .put("Resource", "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + STACK + "-" + alias.toLowerCase(Locale.ROOT) + ":live")
                    .set("Condition", Json.object().set("ArnLike", Json.object().put("AWS:SourceArn", arn(p.get("SourceArn")))))));
        });
        statements.forEach((alias, list) -> policyBytes.put(alias,
                ("{\"Version\":\"2012-10-17\",\"Id\":\"default\",\"Statement\":[" + String.join(",", list) + "]}").getBytes(StandardCharsets.UTF_8).length));
        assertThat(policyBytes).as("alias policies in bytes").containsKey("AdminFunctionAliaslive")
                .allSatisfy((alias, bytes) -> assertThat(bytes).as(alias).isLessThan(LAMBDA_POLICY_LIMIT / 2));
    }

    /**
     * The template as SAM translates it (cfn-lint's transform, offline): its resources. Skipped where cfn-lint is not
     * installed.
     */
    static Map<String, Object> translatedResources() throws Exception {
        Process translate = new ProcessBuilder("python3", "tools/translate-template.py").directory(Path.of("../..").toFile()).start();
        byte[] translated = translate.getInputStream().readAllBytes();
        String problems = new String(translate.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeFalse(translate.waitFor() != 0 && problems.contains("No module named 'cfnlint'"),
                "cfn-lint is not installed (this machine image's Python ships it)");
        assertThat(translate.exitValue()).as(problems).isZero();
        return map(Json.MAPPER.readValue(translated, Map.class).get("Resources"));
    }

    /**
     * The tracking URL (IngestFunction's function URL, the TrackingUrl output) answers anyone, as the HTTP API's tracking
     * routes do: "Starting in October 2025, new function URLs will require both lambda:InvokeFunctionUrl and
     * lambda:InvokeFunction permissions" (Lambda's guide, urls-auth), so the translated template must grant both to
     * everyone on the alias the URL points at, the second only through the URL; without either, every tracked event is 403.
     */
    @Test
    void theTrackingUrlIsPublicWithBothPermissionsLambdaAsksOfANewUrl() throws Exception {
        Map<String, Object> resources = translatedResources();
        Map<String, Object> url = map(map(resources.get("IngestFunctionUrl")).get("Properties"));
        assertThat(url.get("AuthType")).isEqualTo("NONE");
        assertThat(url.get("TargetFunctionArn")).isEqualTo(Map.of("Ref", "IngestFunctionAliaslive"));
        List<Map<String, Object>> grants = new ArrayList<>();
        resources.values().forEach(r -> {
            Map<String, Object> p = map(map(r).get("Properties"));
            if ("AWS::Lambda::Permission".equals(map(r).get("Type")) && "*".equals(p.get("Principal"))) grants.add(p);
        });
        assertThat(grants).as("only the tracking URL is open to everyone").hasSize(2).allSatisfy(p ->
                assertThat(p.get("FunctionName")).isEqualTo(Map.of("Ref", "IngestFunctionAliaslive")));
        assertThat(grants).anySatisfy(p -> assertThat(p).containsEntry("Action", "lambda:InvokeFunctionUrl").containsEntry("FunctionUrlAuthType", "NONE"));
        assertThat(grants).anySatisfy(p -> assertThat(p).containsEntry("Action", "lambda:InvokeFunction").containsEntry("InvokedViaFunctionUrl", true));
        assertThat(map(map(TEMPLATE.get("Outputs")).get("TrackingUrl")).get("Value")).isEqualTo(Map.of("Fn::GetAtt", "IngestFunctionUrl.FunctionUrl"));
    }

    /**
     * Without reserved concurrency a sale's burst of bus events lets the functions it fans out to take the account's
     * concurrency, and the webhooks and tracking calls are throttled (the shop's platform sees 429s). Each
     * bus-driven function is capped by the reservation (its asynchronous invocations queue meanwhile); the functions
     * that answer HTTP are not; and the default reservations leave Lambda's minimum of 100 unreserved in the default
     * quota of 1,000.
     */
    @Test
    void theBusDrivenFunctionsCannotTakeTheConcurrencyTheWebhooksAnswerWith() {
        // a few runs a day or an hour each: reserving for them would only take from the rest
        Set<String> occasional = Set.of("SegmentRefreshFunction", "CampaignFunction", "PrivacyFunction");
        int defaultReservation = Integer.parseInt(String.valueOf(map(map(TEMPLATE.get("Parameters")).get("BusFunctionConcurrency")).get("Default")));
        int reserved = 0;
        for (String function : resourcesOfType("AWS::Serverless::Function")) {
            Set<String> triggers = new TreeSet<>();
            map(props(function).getOrDefault("Events", Map.of())).values().forEach(e -> triggers.add(String.valueOf(map(e).get("Type"))));
            Object reservation = props(function).get("ReservedConcurrentExecutions");
            if (triggers.contains("HttpApi")) {
                assertThat(reservation).as(function + " answers HTTP: uncapped").isNull();
            } else if (triggers.contains("EventBridgeRule") && !occasional.contains(function)) {
                assertThat(reservation).as(function).isEqualTo(Map.of("Fn::If", List.of("CapsBusFunctions", Map.of("Ref", "BusFunctionConcurrency"),
                        Map.of("Ref", "AWS::NoValue"))));
                reserved += defaultReservation;
            }
        }
        assertThat(reserved).as("six functions reserved").isEqualTo(6 * defaultReservation);
        assertThat(reserved + LAMBDA_MIN_UNRESERVED).isLessThanOrEqualTo(LAMBDA_DEFAULT_CONCURRENCY);
    }

    static final int LAMBDA_DEFAULT_CONCURRENCY = 1000;
    static final int LAMBDA_MIN_UNRESERVED = 100;

    /** Lambda's limit on a function's (or alias's) resource-based policy. */
    static final int LAMBDA_POLICY_LIMIT = 20 * 1024;
    static final String STACK = "kindling-production";
    static final String REGION = "ap-southeast-2";
    static final String ACCOUNT = "123456789012";

    /** A permission's source ARN written out: pseudo parameters by realistic values, anything else by a generated name's length. */
    static String arn(Object value) {
        if (value instanceof String text) return text;
        Map<String, Object> intrinsic = map(value);
        if (intrinsic.containsKey("Fn::Sub")) {
            Object sub = intrinsic.get("Fn::Sub");
            String text = sub instanceof List<?> l ? String.valueOf(l.getFirst()) : String.valueOf(sub);
            return text.replace("${AWS::Partition}", "aws").replace("${AWS::Region}", REGION).replace("${AWS::AccountId}", ACCOUNT)
                    .replace("${__ApiId__}", "a1b2c3d4e5").replace("${__Stage__}", "*")
                    .replaceAll("\\$\\{[^}]+}", "x".repeat(40));
        }
        // Fn::GetAtt of a rule or schedule: an ARN with a generated name
        return "arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/" + STACK + "-" + "x".repeat(50);
    }

    private static void assertRetained(String logGroup) {
        assertThat(map(RESOURCES.get(logGroup)).get("Type")).as(logGroup).isEqualTo("AWS::Logs::LogGroup");
        assertThat(props(logGroup).get("RetentionInDays")).as(logGroup).isEqualTo(Map.of("Ref", "LogRetentionDays"));
    }

    // --- reading the template

    static Map<String, Object> read(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return SamTemplate.readDocument(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> resourcesOfType(String type) {
        Set<String> out = new TreeSet<>();
        RESOURCES.forEach((name, r) -> {
            if (type.equals(map(r).get("Type"))) out.add(name);
        });
        return out;
    }

    static Map<String, Object> props(String resource) {
        return map(map(RESOURCES.get(resource)).get("Properties"));
    }

    /** An alarm's metrics: its own (Namespace, MetricName, Dimensions) or each MetricStat of its metric math. */
    static List<Map<String, Object>> metricsOf(String alarm) {
        Map<String, Object> p = props(alarm);
        if (p.containsKey("MetricName")) return List.of(p);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> query : list(p.get("Metrics"))) {
            if (query.containsKey("MetricStat")) out.add(map(map(query.get("MetricStat")).get("Metric")));
        }
        return out;
    }

    static List<String> strings(Object value) {
        return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(value));
    }
}
