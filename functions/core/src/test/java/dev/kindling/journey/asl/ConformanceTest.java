package dev.kindling.journey.asl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every journey file, run on our engine and on the npm aws-local-stepfunctions engine with the
 * same input and the same task results, takes the same path and gives the same output; every
 * file passes the npm asl-validator. Both are installed by the test command (package-lock.json).
 */
class ConformanceTest {
    static final Path ROOT = Path.of("../..");
    static final Instant START = Instant.parse("2026-11-22T12:00:00Z");

    record Case(String journey, String scenario, JsonNode definition, JsonNode input, Map<String, List<JsonNode>> results) {}

    @Test
    void everyJourneyTakesTheSamePathWithTheSameOutputOnBothEngines() throws Exception {
        List<Case> cases = cases();
        ArrayNode batch = Json.MAPPER.createArrayNode();
        for (Case c : cases) {
            ObjectNode item = batch.addObject();
            item.set("definition", c.definition());
            item.set("input", c.input());
            item.set("context", Interpreter.start(StateMachine.of(c.journey(), c.definition()), "conformance", c.input(), START).context);
            ObjectNode results = item.putObject("results");
            c.results().forEach((state, list) -> results.set(state, Json.MAPPER.valueToTree(list)));
        }
        JsonNode theirs = node(List.of("node", ROOT.resolve("tools/asl-conformance.mjs").toString()), Json.write(batch));
        assertThat(theirs).hasSize(cases.size());
        int i = 0;
        for (Case c : cases) {
            Execution ours = runOurs(c);
            JsonNode other = theirs.get(i++);
            String what = c.journey() + " / " + c.scenario();
            assertThat(other.path("status").asText()).as(what + ": " + other).isEqualTo("SUCCEEDED");
            assertThat(ours.status()).as(what + " " + ours.error() + " " + ours.cause()).isEqualTo(Execution.Status.SUCCEEDED);
            assertThat(ours.path()).as(what).isEqualTo(Json.MAPPER.convertValue(other.path("path"), List.class));
            assertThat(ours.output()).as(what).isEqualTo(other.path("output"));
        }
        assertThat(cases.stream().map(Case::journey).distinct()).hasSize(6);
    }

    @Test
    void everyJourneyFilePassesTheAslValidator() throws Exception {
        for (Path file : journeyFiles()) {
            Path substituted = Files.createTempFile("journey", ".json");
            Files.writeString(substituted, substitute(Files.readString(file)));
            Process p = new ProcessBuilder("node", ROOT.resolve("node_modules/asl-validator/dist/bin/asl-validator.js").toString(),
                    "--json-path", substituted.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(file + ": " + out).isZero();
            assertThat(out).contains("is valid");
        }
    }

    static Execution runOurs(Case c) {
        return runOurs(c, e -> e);
    }

    /** Runs the case on our engine with scripted task results; {@code between} sees the execution before every run. */
    static Execution runOurs(Case c, java.util.function.UnaryOperator<Execution> between) {
        StateMachine machine = StateMachine.of(c.journey(), c.definition());
        Execution e = Interpreter.start(machine, "conformance", c.input(), START);
        Map<String, Integer> used = new HashMap<>();
        Interpreter.Tasks tasks = (state, resource, payload) -> {
            int n = used.merge(state, 1, Integer::sum) - 1;
            List<JsonNode> list = c.results().getOrDefault(state, List.of());
            if (n >= list.size()) throw new AslError("Scripted.Missing", "no scripted result " + n + " for " + state);
            JsonNode result = list.get(n);
            if (result.has("$error")) throw new AslError(result.get("$error").asText(), result.path("$cause").asText()); // a function error
            return result;
        };
        Instant now = START;
        for (int i = 0; i < 1000 && !e.isDone(); i++) {
            e = between.apply(e);
            Interpreter.run(machine, e, tasks, now);
            if (e.status() == Execution.Status.WAITING) now = e.waitUntil();
        }
        return e;
    }

    // ---------------------------------------------------------------- scenarios

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        JsonNode input = Json.read("""
                {"shopId": "demo", "contactId": "c-1", "key": "tok-1",
                 "trigger": {"name": "Checkout Started", "checkout_url": "https://shop.example/c/1", "order_id": "1001",
                             "products": [{"product_id": "p1", "name": "Shirt", "price": "10.00", "quantity": 2}]}}
                """, JsonNode.class);
        for (Path file : journeyFiles()) {
            String journey = file.getFileName().toString().replace(".asl.json", "");
            JsonNode definition = Json.read(substitute(Files.readString(file)), JsonNode.class);
            for (var scenario : (journey.equals("flow") ? flowScenarios() : scenarios(journey)).entrySet()) {
                cases.add(new Case(journey, scenario.getKey(), definition, input, scenario.getValue()));
            }
        }
        return cases;
    }

    /**
     * The written journeys' interpreter: turns that answer the state with a time to wake, and the last turn's
     * JourneyEnded error, which the machine catches (no retry) and succeeds with.
     */
    static Map<String, Map<String, List<JsonNode>>> flowScenarios() {
        JsonNode ended = j("{\"$error\": \"dev.kindling.journey.flow.JourneyEnded\", \"$cause\": \"completed\"}");
        Map<String, Map<String, List<JsonNode>>> all = new LinkedHashMap<>();
        all.put("two turns, then the end", Map.of("Turn", List.of(
                j("{\"journey\": \"policy-renewal\", \"at\": 2, \"wake\": \"2026-11-24T12:00:00Z\"}"),
                j("{\"journey\": \"policy-renewal\", \"at\": 4, \"wake\": \"2026-11-25T09:00:00Z\"}"), ended)));
        all.put("ends on its first turn", Map.of("Turn", List.of(ended)));
        return all;
    }

    static Map<String, Map<String, List<JsonNode>>> scenarios(String journey) {
        Map<String, Map<String, List<JsonNode>>> all = new LinkedHashMap<>();
        Map<String, List<JsonNode>> base = new HashMap<>();
        base.put("Enter", List.of(j("""
                {"run": true, "variant": "a", "holdout": false,
                 "delays": {"first": 3600, "second": 82800, "third": 172800, "confirm": 259200, "fulfilmentCheck": 86400,
                            "enjoy": 259200, "review": 604800, "nps": 604800, "answer": 259200},
                 "templates": {"first": "t1", "second": "t2", "third": "t3", "confirm": "tc", "thanks": "th", "enjoy": "te", "review": "tr",
                               "nps": "tn", "promoter": "tp", "passive": "tv", "detractor": "td"},
                 "data": {"discount_code": "BACK10"}}""")));
        for (String step : List.of("first", "second", "third", "thanks", "enjoy", "review", "nps", "promoter", "passive", "detractor")) {
            base.put("Check " + step, List.of(j("{\"exit\": false}")));
            base.put("Send " + step, List.of(j("{\"messageId\": \"m-" + step + "\", \"status\": \"sent\"}")));
        }
        base.put("Exited", List.of(j("{\"recorded\": true}")));
        base.put("Review link", List.of(j("{\"review_url\": \"https://k.example/r\"}")));
        base.put("Completed", List.of(j("{\"recorded\": true}")));
        all.put("every email", base);

        Map<String, List<JsonNode>> notRun = new HashMap<>(base);
        notRun.put("Enter", List.of(j("{\"run\": false, \"reason\": \"holdout\"}")));
        all.put("holdout", notRun);

        Map<String, List<JsonNode>> deferred = new HashMap<>(base);
        String firstSend = journey.equals("post-purchase") ? "thanks" : "first";
        deferred.put("Send " + firstSend, List.of(j("{\"messageId\": \"m1\", \"status\": \"deferred\", \"reason\": \"quiet_hours\", \"until\": \"2026-11-23T08:00:00Z\"}"),
                j("{\"messageId\": \"m1\", \"status\": \"sent\"}")));
        deferred.put("Check " + firstSend, List.of(j("{\"exit\": false}"), j("{\"exit\": false}")));
        all.put("deferred then sent", deferred);

        if (!journey.equals("post-purchase")) {
            Map<String, List<JsonNode>> ordered = new HashMap<>(base);
            ordered.put("Check first", List.of(j("{\"exit\": true, \"reason\": \"ordered\"}")));
            all.put("ordered before the first email", ordered);
        }
        if (journey.equals("welcome")) {
            for (Map<String, List<JsonNode>> s : all.values()) s.put("Consent", List.of(j("{\"state\": \"granted\"}")));
            Map<String, List<JsonNode>> confirming = new HashMap<>(base);
            confirming.put("Consent", List.of(j("{\"state\": \"pending\", \"confirmationSent\": false, \"confirmUrl\": \"https://k.example/confirm\"}")));
            confirming.put("Send confirm", List.of(j("{\"messageId\": \"mc\", \"status\": \"sent\"}")));
            confirming.put("Consent again", List.of(j("{\"state\": \"granted\"}")));
            all.put("double opt-in first", confirming);
            Map<String, List<JsonNode>> never = new HashMap<>(confirming);
            never.put("Consent again", List.of(j("{\"state\": \"pending\"}")));
            never.put("Not confirmed", List.of(j("{\"recorded\": true}")));
            all.put("never confirmed", never);
        }
        if (journey.equals("post-purchase")) {
            for (Map<String, List<JsonNode>> s : all.values()) {
                s.put("Fulfilled?", List.of(j("{\"fulfilled\": false, \"giveUp\": false}"), j("{\"fulfilled\": true, \"giveUp\": false}")));
                s.put("Survey links", List.of(j("{\"links\": [{\"score\": 0, \"url\": \"https://k.example/n/0\"}]}")));
                s.put("Answer", List.of(j("{\"group\": \"promoter\", \"score\": 10}")));
                s.put("Support follow-up", List.of(j("{\"published\": true}")));
            }
            for (String group : List.of("passive", "detractor", "none")) {
                Map<String, List<JsonNode>> answer = new HashMap<>(base);
                answer.putAll(all.get("every email"));
                answer.put("Answer", List.of(j("{\"group\": \"" + group + "\", \"score\": " + (group.equals("passive") ? 7 : 3) + "}")));
                all.put("answer " + group, answer);
            }
            Map<String, List<JsonNode>> neverShipped = new HashMap<>(all.get("every email"));
            neverShipped.put("Fulfilled?", List.of(j("{\"fulfilled\": false, \"giveUp\": true}")));
            neverShipped.put("Not fulfilled", List.of(j("{\"recorded\": true}")));
            all.put("never fulfilled", neverShipped);
            Map<String, List<JsonNode>> restarted = new HashMap<>(all.get("every email"));
            restarted.put("Check review", List.of(j("{\"exit\": true, \"reason\": \"restarted\"}")));
            all.put("a newer order", restarted);
        }
        return all;
    }

    static List<Path> journeyFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("statemachines"))) {
            return files.filter(p -> p.toString().endsWith(".asl.json")).sorted().toList();
        }
    }

    static String substitute(String definition) {
        return definition.replace("${JourneyFunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:JourneyFunction")
                .replace("${SendFunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:SendFunction");
    }

    static JsonNode node(List<String> command, String stdin) throws Exception {
        Path modules = ROOT.resolve("node_modules/aws-local-stepfunctions");
        if (!Files.exists(modules)) throw new IllegalStateException("npm test engines are not installed: run `npm ci` at the repository root (bin/test does)");
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Json.read(out, JsonNode.class);
    }

    static JsonNode j(String json) {
        return Json.read(json, JsonNode.class);
    }
}
