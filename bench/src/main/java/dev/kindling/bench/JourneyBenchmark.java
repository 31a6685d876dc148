package dev.kindling.bench;

import static dev.kindling.bench.IngestBenchmark.max;
import static dev.kindling.bench.IngestBenchmark.median;
import static dev.kindling.bench.IngestBenchmark.min;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.journey.JourneySettings;
import dev.kindling.journey.JourneySimulator;
import dev.kindling.journey.asl.Execution;
import dev.kindling.journey.asl.Interpreter;
import dev.kindling.journey.asl.StateMachine;
import dev.kindling.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 4 of 4's figures: contacts through the 30-day loyalty loop per second on the journey engine
 * (skipped time), side by side with the npm aws-local-stepfunctions engine on the same definition
 * and task results; state transitions per contact per journey and the AWS cost per 1,000 contacts.
 *
 * <pre>bin/bench-journeys [contacts (10000)] [rounds (5)]</pre>
 */
public final class JourneyBenchmark {
    static final Instant START = Instant.parse("2026-11-22T12:00:00Z");

    public static void main(String[] args) throws Exception {
        int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        throughput(contacts, rounds);
        transitions();
    }

    static void throughput(int contacts, int rounds) throws Exception {
        System.out.printf("## %,d contacts through the post-purchase loyalty loop (30 days, skipped time), one thread%n", contacts);
        JourneySettings settings = JourneySettings.of("post-purchase", null);
        String[] answers = {"10", "9", "8", "7", "3"};
        double[] simulated = new double[rounds];
        double[] scripted = new double[rounds];
        StateMachine machine = JourneySimulator.machine("post-purchase");
        Map<String, List<JsonNode>> results = scriptedResults();
        JsonNode input = Json.read("{\"shopId\":\"demo\",\"contactId\":\"c\",\"key\":\"1\",\"trigger\":{\"order_id\":\"1\"}}", JsonNode.class);
        for (int warm = 0; warm < 2_000; warm++) {
            simulate(settings, answers[warm % answers.length]);
            scripted(machine, input, results);
        }
        long transitions = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < contacts; i++) transitions += simulate(settings, answers[i % answers.length]).transitions();
            long t1 = System.nanoTime();
            for (int i = 0; i < contacts; i++) scripted(machine, input, results);
            long t2 = System.nanoTime();
            simulated[r] = contacts / ((t1 - t0) / 1e9);
            scripted[r] = contacts / ((t2 - t1) / 1e9);
        }
        System.out.printf("journey engine + simulated decisions (profile, future events): %,.0f contacts/s median (%,.0f – %,.0f), %.0f transitions each%n",
                median(simulated), min(simulated), max(simulated), (double) transitions / contacts / rounds);
        System.out.printf("journey engine, scripted task results:                          %,.0f contacts/s median (%,.0f – %,.0f)%n",
                median(scripted), min(scripted), max(scripted));

        ObjectNode request = Json.object();
        String definition = java.nio.file.Files.readString(Path.of("statemachines/post-purchase.asl.json"))
                .replace("${JourneyFunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:JourneyFunction")
                .replace("${SendFunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:SendFunction");
        request.set("definition", Json.read(definition, JsonNode.class));
        request.set("input", input);
        ObjectNode context = Json.object();
        context.putObject("Execution").put("Name", "bench").put("StartTime", START.toString()).set("Input", input);
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
        System.out.printf("aws-local-stepfunctions (Node %s), same definition and results: %,.0f executions/s median (%,.0f – %,.0f) over %d runs of %,d%n",
                nodeVersion(), median(node), min(node), max(node), node.length, nodeCount);
        System.out.printf("ours (scripted) / aws-local-stepfunctions: %.0f×%n", median(scripted) / median(node));
    }

    static JourneySimulator.Result simulate(JourneySettings settings, String score) {
        List<JourneySimulator.Event> events = List.of(new JourneySimulator.Event(Duration.ofDays(1), "Order Fulfilled", Json.object()),
                new JourneySimulator.Event(Duration.ofDays(19), "nps.submitted", Json.object().put("score", Integer.parseInt(score))));
        return JourneySimulator.run("post-purchase", settings, new JourneySimulator.Contact(true, true), Json.object().put("order_id", "1"), events, START);
    }

    static Execution scripted(StateMachine machine, JsonNode input, Map<String, List<JsonNode>> results) {
        Execution e = Interpreter.start(machine, "bench", input, START);
        Map<String, Integer> used = new HashMap<>();
        Interpreter.Tasks tasks = (state, resource, payload) -> results.get(state).get(used.merge(state, 1, Integer::sum) - 1);
        Instant now = START;
        while (!e.isDone()) {
            Interpreter.run(machine, e, tasks, now);
            if (e.status() == Execution.Status.WAITING) now = e.waitUntil();
        }
        return e;
    }

    static Map<String, List<JsonNode>> scriptedResults() {
        Map<String, List<JsonNode>> r = new HashMap<>();
        r.put("Enter", List.of(Json.read("""
                {"run": true, "variant": "a", "holdout": false,
                 "delays": {"fulfilmentCheck": 86400, "enjoy": 259200, "review": 604800, "nps": 604800, "answer": 259200},
                 "templates": {"thanks": "order-thank-you", "enjoy": "order-enjoy", "review": "review-request", "nps": "nps-survey", "promoter": "referral-reward"},
                 "data": {"reward_code": "THANKYOU15"}}""", JsonNode.class)));
        for (String step : List.of("thanks", "enjoy", "review", "nps", "promoter")) {
            r.put("Check " + step, List.of(Json.read("{\"exit\": false}", JsonNode.class)));
            r.put("Send " + step, List.of(Json.read("{\"messageId\": \"m\", \"status\": \"sent\"}", JsonNode.class)));
        }
        r.put("Fulfilled?", List.of(Json.read("{\"fulfilled\": false, \"giveUp\": false}", JsonNode.class), Json.read("{\"fulfilled\": true, \"giveUp\": false}", JsonNode.class)));
        r.put("Review link", List.of(Json.read("{\"review_url\": \"https://k.example/r\"}", JsonNode.class)));
        r.put("Survey links", List.of(Json.read("{\"links\": []}", JsonNode.class)));
        r.put("Answer", List.of(Json.read("{\"group\": \"promoter\", \"score\": 10}", JsonNode.class)));
        r.put("Completed", List.of(Json.read("{\"recorded\": true}", JsonNode.class)));
        return r;
    }

    static void transitions() {
        System.out.println();
        System.out.println("## State transitions per contact and the AWS cost per 1,000 contacts (every email of the journey sent)");
        record Scenario(String journey, JourneySimulator.Contact contact, List<JourneySimulator.Event> events) {}
        JourneySimulator.Contact subscribed = new JourneySimulator.Contact(true, true);
        List<Scenario> scenarios = List.of(
                new Scenario("welcome", subscribed, List.of()),
                new Scenario("welcome", new JourneySimulator.Contact(false, true), List.of(new JourneySimulator.Event(Duration.ofHours(3), "Email Subscription Confirmed", Json.object()))),
                new Scenario("abandoned-checkout", subscribed, List.of()),
                new Scenario("abandoned-checkout", subscribed, List.of(new JourneySimulator.Event(Duration.ofMinutes(30), "Order Completed", Json.object()))),
                new Scenario("browse-abandonment", subscribed, List.of()),
                new Scenario("post-purchase", subscribed, List.of(new JourneySimulator.Event(Duration.ofDays(2), "Order Fulfilled", Json.object()),
                        new JourneySimulator.Event(Duration.ofDays(20), "nps.submitted", Json.object().put("score", 10)))),
                new Scenario("win-back", subscribed, List.of()));
        System.out.println("| journey | path | transitions | Lambda tasks | emails | Step Functions $/1,000 | all-in $/1,000 contacts |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Scenario s : scenarios) {
            JourneySimulator.Result r = JourneySimulator.run(s.journey(), JourneySettings.of(s.journey(), null), s.contact(), Json.object().put("order_id", "1"), s.events(), START);
            long tasks = r.path().stream().filter(name -> name.startsWith("Enter") || name.startsWith("Check") || name.startsWith("Send")
                    || name.equals("Completed") || name.equals("Exited") || name.startsWith("Consent") || name.equals("Fulfilled?")
                    || name.equals("Review link") || name.equals("Survey links") || name.equals("Answer") || name.startsWith("Support")).count();
            long emails = r.emails().stream().filter(e -> e.outcome().equals("sent")).count();
            double sfn = r.transitions() * 0.025;                         // $0.025 per 1,000 transitions
            double lambda = (tasks + 1) * (0.20e-3 + 0.030 * 1.0 * 0.0000133334 * 1000); // + the start function; 30 ms at 1 GB assumed
            double email = emails * 0.118;                              // measured per email in issue 3 of 4 (SES, DynamoDB, Lambda, EventBridge)
            String what = s.journey() + (s.events().isEmpty() ? "" : " (" + s.events().getFirst().name() + (s.events().size() > 1 ? ", …" : "") + ")")
                    + (s.contact().consentGranted() ? "" : " (confirms first)");
            System.out.printf("| %s | %s | %d | %d | %d | $%.2f | $%.2f |%n", what, r.ended(), r.transitions(), tasks, emails, sfn, sfn + lambda + email);
        }
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
