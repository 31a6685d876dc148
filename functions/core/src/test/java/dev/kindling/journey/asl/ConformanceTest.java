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
import java.util.function.Function;
import java.util.function.UnaryOperator;
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
            ObjectNode context = ((ObjectNode) Interpreter.start(StateMachine.of(c.journey(), c.definition()), "conformance", c.input(), START).context).deepCopy();
            context.putObject("Task").put("Token", "conformance-token"); // a callback task's Parameters read it
            item.set("context", context);
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
        assertThat(cases.stream().map(Case::journey).distinct()).containsExactly("flow");
    }

    @Test
    void everyJourneyFileAndTheImportMachinePassTheAslValidator() throws Exception {
        List<Path> files = new java.util.ArrayList<>(journeyFiles());
        files.add(ROOT.resolve("statemachines/imports/import.asl.json")); // its Distributed Map included
        for (Path file : files) {
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
    static Execution runOurs(Case c, UnaryOperator<Execution> between) {
        StateMachine machine = StateMachine.of(c.journey(), c.definition());
        Execution e = Interpreter.start(machine, "conformance", c.input(), START);
        Map<String, Integer> used = new HashMap<>();
        Function<String, JsonNode> next = state -> {
            int n = used.merge(state, 1, Integer::sum) - 1;
            List<JsonNode> list = c.results().getOrDefault(state, List.of());
            if (n >= list.size()) throw new AslError("Scripted.Missing", "no scripted result " + n + " for " + state);
            return list.get(n);
        };
        Interpreter.Tasks tasks = (state, resource, payload) -> {
            if (callback(c, state)) return Json.object(); // its scripted result is the answer to its token, below
            JsonNode result = next.apply(state);
            if (result.has("$error")) throw new AslError(result.get("$error").asText(), result.path("$cause").asText()); // a function error
            return result;
        };
        Instant now = START;
        for (int i = 0; i < 1000 && !e.isDone(); i++) {
            e = between.apply(e);
            if (e.token() != null && e.status() == Execution.Status.WAITING) {
                // a callback task: its scripted result answers the token (SendTaskSuccess), or is its timeout
                JsonNode answer = next.apply(stateOf(e, c));
                if (!answer.has("$error")) {
                    Interpreter.resume(machine, e, e.token(), answer, tasks, now);
                    if (e.status() == Execution.Status.WAITING) now = e.waitUntil();
                    continue;
                }
            }
            Interpreter.run(machine, e, tasks, now);
            if (e.status() == Execution.Status.WAITING) now = e.waitUntil();
        }
        return e;
    }

    /** Whether the state is a callback task (its result comes by its token). */
    static boolean callback(Case c, String state) {
        return c.definition().path("States").path(state).path("Resource").asText().endsWith(".waitForTaskToken");
    }

    /** The state a waiting execution is in (the last it entered). */
    static String stateOf(Execution e, Case c) {
        return e.path().getLast();
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
            for (var scenario : flowScenarios().entrySet()) {
                cases.add(new Case(journey, scenario.getKey(), definition, input, scenario.getValue()));
            }
        }
        return cases;
    }

    /**
     * The journeys' interpreter: turns that answer the state with a time to wake and what the pause listens for; pauses
     * that time out (a wait's end) or are answered (an awaited event came); the last turn's JourneyEnded error, which the
     * machine catches (no retry) and succeeds with. (A retried turn is not here: aws-local-stepfunctions waits a Retry's
     * IntervalSeconds in real time.)
     */
    static Map<String, Map<String, List<JsonNode>>> flowScenarios() {
        JsonNode ended = j("{\"$error\": \"dev.kindling.journey.flow.JourneyEnded\", \"$cause\": \"completed\"}");
        JsonNode timeout = j("{\"$error\": \"States.Timeout\", \"$cause\": \"" + Interpreter.TIMED_OUT + "\"}");
        Map<String, Map<String, List<JsonNode>>> all = new LinkedHashMap<>();
        // a pause that times out takes its TimeoutSecondsPath in real time on aws-local-stepfunctions: 1 second here
        all.put("two turns, then the end", Map.of("Turn", List.of(turn(2, "2026-11-24T12:00:00Z", 1, null), turn(4, "2026-11-25T09:00:00Z", 1, null), ended),
                "Pause", List.of(timeout, timeout)));
        all.put("ends on its first turn", Map.of("Turn", List.of(ended)));
        all.put("an awaited event comes", Map.of("Turn", List.of(turn(1, "2026-12-22T12:00:00Z", 2592000,
                        j("{\"since\": \"2026-11-22T12:00:00Z\", \"events\": [\"Order Fulfilled\"], \"match\": \"order_id\", \"value\": \"1001\"}")),
                turn(3, "2026-11-26T12:00:00Z", 1, null), ended),
                "Pause", List.of(j("{\"event\": \"Order Fulfilled\", \"at\": \"2026-11-23T10:00:00Z\"}"), timeout)));
        return all;
    }

    /** A turn's answer: the state with where the journey goes on, when, and what its pause listens for. */
    static JsonNode turn(int at, String wake, long sleep, JsonNode listen) {
        ObjectNode state = Json.object().put("shopId", "demo").put("contactId", "c-1").put("journey", "policy-renewal").put("execution", "conformance")
                .put("at", at).put("wake", wake).put("sleep", sleep);
        state.set("listen", listen == null ? Json.MAPPER.nullNode() : listen);
        return j(Json.write(state)); // numbers as JSON gives them back (a snapshot read back compares equal)
    }

    static List<Path> journeyFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("statemachines"))) {
            return files.filter(p -> p.toString().endsWith(".asl.json")).sorted().toList();
        }
    }

    static String substitute(String definition) {
        return definition.replace("${JourneyFunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:JourneyFunction")
                .replace("${ImportFunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:ImportFunction")
                .replace("${ImportsBucket}", "kindling-imports");
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
