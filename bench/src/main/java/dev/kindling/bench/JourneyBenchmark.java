package dev.kindling.bench;

import static dev.kindling.bench.IngestBenchmark.max;
import static dev.kindling.bench.IngestBenchmark.median;
import static dev.kindling.bench.IngestBenchmark.min;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.journey.asl.Execution;
import dev.kindling.journey.asl.Interpreter;
import dev.kindling.journey.asl.StateMachine;
import dev.kindling.journey.flow.Flow;
import dev.kindling.journey.flow.FlowParser;
import dev.kindling.journey.flow.JourneySimulator;
import dev.kindling.journey.flow.Journeys;
import dev.kindling.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 13's figures for the journeys (every one runs on the flow interpreter, statemachines/flow.asl.json):
 * state transitions, Lambda tasks and emails per journey and their Step Functions cost per 1,000 entries and for
 * the reference month; contacts through the 30-day loyalty loop per second on our engine (skipped time), side by
 * side with the npm aws-local-stepfunctions engine on the same definition and task results; and the time to read
 * and check a 50-step definition.
 *
 * <pre>bin/bench-journeys [contacts (10000)] [rounds (5)]</pre>
 */
public final class JourneyBenchmark {
    static final Instant START = Instant.parse("2026-11-22T12:00:00Z");
    /** Step Functions Standard: $0.025 per 1,000 state transitions. */
    static final double DOLLARS_PER_TRANSITION = 0.025 / 1000;
    /** Lambda requests: $0.20 per million (durations are measured per function by issue 15's bench-month, not assumed here). */
    static final double DOLLARS_PER_INVOCATION = 0.20 / 1_000_000;

    public static void main(String[] args) throws Exception {
        int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        transitions();
        throughput(contacts, rounds);
        parseTime(rounds);
    }

    record Scenario(String journey, String what, int monthly, JourneySimulator.Contact contact, List<JourneySimulator.Event> events) {}

    static JourneySimulator.Event event(Duration after, String name, ObjectNode properties) {
        return new JourneySimulator.Event(after, name, properties);
    }

    /**
     * The product's reference month: welcome 60k (half confirming first, double opt-in), abandoned checkout 90k (30%
     * ordering within the hour), browse 90k, post-purchase 45k (fulfilled on day 2, NPS answered), win-back 15k.
     */
    static List<Scenario> referenceMonth() {
        JourneySimulator.Contact subscribed = new JourneySimulator.Contact(true, true);
        ObjectNode order = Json.object().put("order_id", "1");
        return List.of(
                new Scenario("welcome", "subscribed", 30_000, subscribed, List.of()),
                new Scenario("welcome", "confirms first (double opt-in)", 30_000, new JourneySimulator.Contact(false, true),
                        List.of(event(Duration.ofHours(3), "Email Subscription Confirmed", Json.object()))),
                new Scenario("abandoned-checkout", "no order", 63_000, subscribed, List.of()),
                new Scenario("abandoned-checkout", "ordered within the hour", 27_000, subscribed,
                        List.of(event(Duration.ofMinutes(30), "Order Completed", Json.object()))),
                new Scenario("browse-abandonment", "no order", 90_000, subscribed, List.of()),
                new Scenario("post-purchase", "fulfilled day 2, NPS 10", 45_000, subscribed, List.of(event(Duration.ofDays(2), "Order Fulfilled", order),
                        event(Duration.ofDays(20), "nps.submitted", Json.object().put("score", 10)))),
                new Scenario("win-back", "no order", 15_000, subscribed, List.of()));
    }

    static void transitions() {
        System.out.println("## State transitions, Lambda tasks and emails per entry (flow.asl.json), and Step Functions per 1,000 entries");
        System.out.println();
        System.out.println("An order within the hour cancels the abandoned checkout's first turn before it is taken (DeleteSchedule, not billed).");
        System.out.println("A journey that begins with a wait takes its turns on one-time schedules until it waits for an event (FlowSteps.onSchedule).");
        System.out.println();
        System.out.println("| journey | entry | ends | transitions | scheduled turns | Lambda tasks | emails | transitions per email | Step Functions $/1,000 entries | monthly entries | Step Functions $/month |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        long monthTransitions = 0;
        long monthScheduled = 0;
        long monthEmails = 0;
        long monthTasks = 0;
        for (Scenario s : referenceMonth()) {
            // win-back ships off (it needs the shop's lapsed-customer segment): measured as a shop runs it once switched on
            Flow flow = Journeys.of(s.journey(), Map.of("win-back", Json.object().put("enabled", true)));
            JourneySimulator.Result r = JourneySimulator.run(flow, s.contact(), Json.object().put("order_id", "1"), s.events(), START);
            long emails = r.emails().stream().filter(e -> e.outcome().equals("sent")).count();
            // an order within the hour is stopped at once by JourneyStartFunction: what ran before it is what is billed
            boolean ordered = s.what().startsWith("ordered"); // its start cancelled: nothing ran
            long transitions = ordered ? 0 : r.transitions();
            long scheduled = ordered ? 0 : r.scheduledTurns();
            long tasks = ordered ? 0 : r.tasks();
            if (ordered) emails = 0;
            monthTransitions += transitions * s.monthly();
            monthScheduled += scheduled * s.monthly();
            monthEmails += emails * s.monthly();
            monthTasks += tasks * s.monthly();
            System.out.printf("| %s | %s | %s | %d | %d | %d | %d | %s | $%.3f | %,d | $%.2f |%n", s.journey(), s.what(),
                    ordered ? "cancelled: ordered" : r.ended(), transitions, scheduled, tasks, emails,
                    emails == 0 ? "—" : String.format("%.2f", (double) transitions / emails), transitions * DOLLARS_PER_TRANSITION * 1000,
                    s.monthly(), transitions * DOLLARS_PER_TRANSITION * s.monthly());
        }
        System.out.printf("| **reference month** | 300,000 entries | | %,d | %,d | %,d | %,d | %.2f | | | **$%.2f** |%n", monthTransitions, monthScheduled,
                monthTasks, monthEmails, (double) monthTransitions / monthEmails, monthTransitions * DOLLARS_PER_TRANSITION);
        System.out.printf("%nEventBridge Scheduler for the scheduled turns that month: %,d invocations ($%.2f at $1 per million)%n",
                monthScheduled, monthScheduled / 1e6);
        System.out.printf("%nLambda requests for the journeys' tasks that month: %,d ($%.2f at $0.20 per million; durations not included)%n",
                monthTasks, monthTasks * DOLLARS_PER_INVOCATION);
        System.out.println();
    }

    static void throughput(int contacts, int rounds) throws Exception {
        System.out.printf("## %,d contacts through the post-purchase loyalty loop (30 days, skipped time), one thread%n", contacts);
        Flow postPurchase = Journeys.of("post-purchase", Map.of());
        int[] answers = {10, 9, 8, 7, 3};
        double[] simulated = new double[rounds];
        double[] scripted = new double[rounds];
        StateMachine machine = JourneySimulator.machine();
        Map<String, List<JsonNode>> results = scriptedResults();
        JsonNode input = Json.read("{\"action\":\"turn\",\"shopId\":\"demo\",\"contactId\":\"c\",\"journey\":\"post-purchase\",\"execution\":\"bench\","
                + "\"key\":\"1\",\"trigger\":{\"order_id\":\"1\"}}", JsonNode.class);
        for (int warm = 0; warm < 2_000; warm++) {
            simulate(postPurchase, answers[warm % answers.length]);
            scripted(machine, input, results);
        }
        long transitions = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < contacts; i++) transitions += simulate(postPurchase, answers[i % answers.length]).transitions();
            long t1 = System.nanoTime();
            for (int i = 0; i < contacts; i++) scripted(machine, input, results);
            long t2 = System.nanoTime();
            simulated[r] = contacts / ((t1 - t0) / 1e9);
            scripted[r] = contacts / ((t2 - t1) / 1e9);
        }
        System.out.printf("journey engine + the step walk on a simulated person (JourneySimulator): %,.0f contacts/s median (%,.0f – %,.0f), %.1f transitions each%n",
                median(simulated), min(simulated), max(simulated), (double) transitions / contacts / rounds);
        System.out.printf("journey engine, scripted task results:                                   %,.0f contacts/s median (%,.0f – %,.0f)%n",
                median(scripted), min(scripted), max(scripted));

        ObjectNode request = Json.object();
        String definition = java.nio.file.Files.readString(Path.of("statemachines/flow.asl.json"))
                .replace("${JourneyFunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:JourneyFunction");
        request.set("definition", Json.read(definition, JsonNode.class));
        request.set("input", input);
        ObjectNode context = Json.object();
        context.putObject("Execution").put("Name", "bench").put("StartTime", START.toString()).set("Input", input);
        context.putObject("Task").put("Token", "bench-token");
        request.set("context", context);
        request.set("results", Json.MAPPER.valueToTree(results));
        int nodeCount = Math.min(contacts, 2_000);
        request.put("count", nodeCount);
        double[] node = new double[Math.min(rounds, 3)];
        for (int r = 0; r < node.length; r++) {
            Process p = new ProcessBuilder("node", "tools/asl-bench.mjs").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().write(Json.write(request).getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            JsonNode out = Json.read(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), JsonNode.class);
            p.waitFor();
            node[r] = out.path("perSecond").asDouble();
        }
        System.out.printf("aws-local-stepfunctions (Node %s), same definition and results:       %,.0f executions/s median (%,.0f – %,.0f) over %d runs of %,d%n",
                nodeVersion(), median(node), min(node), max(node), node.length, nodeCount);
        System.out.printf("ours (scripted) / aws-local-stepfunctions: %.0f×%n%n", median(scripted) / median(node));
    }

    static JourneySimulator.Result simulate(Flow flow, int score) {
        List<JourneySimulator.Event> events = List.of(event(Duration.ofDays(1), "Order Fulfilled", Json.object().put("order_id", "1")),
                event(Duration.ofDays(19), "nps.submitted", Json.object().put("score", score)));
        return JourneySimulator.run(flow, new JourneySimulator.Contact(true, true), Json.object().put("order_id", "1"), events, START);
    }

    static Execution scripted(StateMachine machine, JsonNode input, Map<String, List<JsonNode>> results) {
        Execution e = Interpreter.start(machine, "bench", input, START);
        Map<String, Integer> used = new HashMap<>();
        Interpreter.Tasks tasks = (state, resource, payload) -> {
            JsonNode r = results.get(state).get(used.merge(state, 1, Integer::sum) - 1);
            if (r.has("$error")) throw new dev.kindling.journey.asl.AslError(r.get("$error").asText(), r.path("$cause").asText());
            return r;
        };
        Instant now = START;
        Interpreter.run(machine, e, tasks, now);
        while (!e.isDone()) {
            now = e.waitUntil();
            Interpreter.run(machine, e, tasks, now); // each pause times out here: the same states as an answered one
        }
        return e;
    }

    /** The loyalty loop's six turns (thank-you and fulfilment wait; enjoy; review; NPS; the answer's branch) and five pauses, then the end. */
    static Map<String, List<JsonNode>> scriptedResults() {
        List<JsonNode> turns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            turns.add(Json.read("{\"shopId\":\"demo\",\"contactId\":\"c\",\"journey\":\"post-purchase\",\"execution\":\"bench\",\"at\":" + (i + 1)
                    + ",\"wake\":\"2026-11-23T12:00:00Z\",\"sleep\":86400,\"listen\":null}", JsonNode.class));
        }
        turns.add(Json.read("{\"$error\": \"dev.kindling.journey.flow.JourneyEnded\", \"$cause\": \"completed\"}", JsonNode.class));
        List<JsonNode> pauses = new ArrayList<>();
        // answered pauses on aws-local-stepfunctions (a timeout there takes its seconds in real time); ours time out: the same path
        for (int i = 0; i < 5; i++) pauses.add(Json.read("{\"event\": \"Order Fulfilled\", \"at\": \"2026-11-23T12:00:00Z\"}", JsonNode.class));
        return Map.of("Turn", turns, "Pause", pauses);
    }

    /** Reading and checking a 50-step definition (the longest allowed): what PUT /admin/journeys does before it saves. */
    static void parseTime(int rounds) {
        StringBuilder yaml = new StringBuilder("trigger: {event: Checkout Started}\ngoals: [Order Completed]\nsteps:\n");
        for (int i = 0; i < 50; i++) {
            String next = i + 1 < 50 ? "s" + (i + 1) : "end";
            String afterNext = i + 2 < 50 ? "s" + (i + 2) : "end";
            yaml.append(switch (i % 5) {
                case 0 -> "  - {id: s" + i + ", send: abandoned-checkout}\n";
                case 1 -> "  - {id: s" + i + ", wait: PT4H}\n";
                case 2 -> "  - {id: s" + i + ", if: {did: Product Viewed, where: [{property: price, op: gt, value: 10}]}, then: " + afterNext + "}\n";
                case 3 -> "  - {id: s" + i + ", wait: {for: Order Completed, within: P1D}, timeout: " + next + "}\n";
                default -> "  - {id: s" + i + ", if: {all: [{trait: vip, op: equals, value: true}, {score: engagement, op: gte, value: 10}]}, else: " + next + "}\n";
            });
        }
        JsonNode doc = dev.kindling.segment.SegmentParser.yamlTree(yaml.toString());
        for (int i = 0; i < 20_000; i++) FlowParser.parse("fifty", doc, dev.kindling.email.TemplateTypes.ANY);
        double[] micros = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            int n = 20_000;
            for (int i = 0; i < n; i++) FlowParser.parse("fifty", doc, dev.kindling.email.TemplateTypes.ANY);
            micros[r] = (System.nanoTime() - t0) / 1e3 / n;
        }
        System.out.printf("## Reading and checking a 50-step definition (FlowParser.parse; there is no per-journey ASL to generate)%n");
        System.out.printf("%.1f µs median (%.1f – %.1f) over %d rounds of 20,000%n", median(micros), min(micros), max(micros), rounds);
    }

    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (Exception e) {
            return "?";
        }
    }
}
