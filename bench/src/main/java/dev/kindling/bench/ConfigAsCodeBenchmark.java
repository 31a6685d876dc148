package dev.kindling.bench;

import dev.kindling.aws.dynamodb.CapacityMeter;
import dev.kindling.handler.Services;
import dev.kindling.local.LocalRuntime;
import dev.kindling.local.LocalUsage;
import dev.kindling.local.ShopsFile;
import dev.kindling.local.cli.KindlingCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 29's benchmark: what {@code bin/kindling export}, {@code diff} (nothing to change, and one segment changed) and
 * {@code apply} (that one change) cost, on a shop of 12 segments, 6 templates, 4 journeys of its own and 2 shipped ones'
 * settings, and 3 campaigns: the admin calls each makes (each an AdminFunction invocation on AWS), the DynamoDB units
 * the admin function spent (billed by AWS's on-demand rules, measured by the local runtime's meter), its billed
 * milliseconds, and the command's time end to end, median and range over the rounds.
 *
 * <pre>bin/bench-config [rounds (7)]</pre>
 */
public final class ConfigAsCodeBenchmark {
    private ConfigAsCodeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, Clock.systemUTC()))) {
            String url = "http://127.0.0.1:" + runtime.port();
            shop(url);
            Path dir = Files.createTempDirectory("kindling-config-bench");
            Path segment = dir.resolve("segments/spent-3.yaml");
            System.out.printf("## bin/kindling on a shop of 12 segments, 6 templates, 6 journeys (4 its own), 3 campaigns; %d rounds%n%n", rounds);
            System.out.println("| command | admin calls | RRU | WRU | AdminFunction billed ms | time, median (min–max) |");
            System.out.println("|---|---:|---:|---:|---:|---|");
            measure(runtime, "export DIR", rounds, () -> run(0, "export", dir.toString(), "--url", url));
            measure(runtime, "diff DIR (nothing to change)", rounds, () -> run(0, "diff", dir.toString(), "--url", url));
            measure(runtime, "validate DIR (offline)", rounds, () -> run(0, "validate", dir.toString()));
            String original = Files.readString(segment);
            measure(runtime, "diff DIR (one segment changed)", rounds, () -> {
                Files.writeString(segment, original.replace("value: 300", "value: 301"));
                run(2, "diff", dir.toString(), "--url", url);
            });
            int[] round = {0};
            measure(runtime, "apply DIR (that one change)", rounds, () -> {
                Files.writeString(segment, original.replace("value: 300", "value: " + (400 + round[0]++)));
                run(0, "apply", dir.toString(), "--url", url);
            });
        }
    }

    interface Step {
        void run() throws Exception;
    }

    private static void measure(LocalRuntime runtime, String name, int rounds, Step step) throws Exception {
        Services services = runtime.services();
        List<Long> millis = new ArrayList<>();
        LocalUsage.Function usageBefore = admin(runtime);
        double[] unitsBefore = units(services);
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            step.run();
            millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        LocalUsage.Function usageAfter = admin(runtime);
        double[] unitsAfter = units(services);
        millis.sort(Long::compare);
        System.out.printf("| `%s` | %.0f | %.1f | %.1f | %.0f | %d ms (%d–%d) |%n", name,
                (usageAfter.invocations() - usageBefore.invocations()) / (double) rounds, (unitsAfter[0] - unitsBefore[0]) / rounds,
                (unitsAfter[1] - unitsBefore[1]) / rounds, (usageAfter.billedMillis() - usageBefore.billedMillis()) / (double) rounds,
                millis.get(millis.size() / 2), millis.getFirst(), millis.getLast());
    }

    private static LocalUsage.Function admin(LocalRuntime runtime) {
        return runtime.usage().functions().getOrDefault("AdminFunction", new LocalUsage.Function(0, 0));
    }

    private static double[] units(Services services) {
        CapacityMeter meter = services.table().meter();
        return meter.billedByOwner().getOrDefault("AdminFunction", new double[2]).clone();
    }

    private static void run(int expected, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = KindlingCli.run(args, ShopsFile.DEMO.adminToken(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (code != expected) throw new IllegalStateException(String.join(" ", args) + " exited " + code + ":\n" + out.toString(StandardCharsets.UTF_8));
    }

    /** The shop: the demo's settings, segments and newsletter, and more of each as a shop that has run a while has. */
    private static void shop(String url) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        put(http, url, "/admin/email/settings", "{\"brand\": {\"websiteUrl\": \"https://shop.example\", \"primaryColor\": \"#1f6feb\"}}");
        put(http, url, "/admin/segments/subscribers", "{\"name\": \"Subscribers\", \"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}");
        for (int i = 1; i <= 11; i++) {
            put(http, url, "/admin/segments/spent-" + i, "{\"name\": \"Spent over " + (i * 100) + "\", \"condition\": {\"all\": [{\"inSegment\": \"subscribers\"},"
                    + " {\"metric\": \"total_spent\", \"op\": \"gt\", \"value\": " + (i * 100) + "}]}}");
        }
        for (int i = 1; i <= 6; i++) {
            put(http, url, "/admin/templates/offer-" + i, "{\"name\": \"Offer " + i + "\", \"subject\": \"Offer " + i + " for {{ contact.first_name | default: 'you' }}\","
                    + " \"topic\": \"deals\", \"html\": \"<h1>Offer " + i + "</h1>\\n<p>{{ shop.name }} has something for you.</p>\\n\"}");
        }
        for (int i = 1; i <= 4; i++) {
            put(http, url, "/admin/journeys/offer-" + i, "{\"name\": \"Offer " + i + "\", \"trigger\": {\"segment\": {\"entered\": \"spent-" + i + "\"}},"
                    + " \"steps\": [{\"id\": \"wait\", \"wait\": \"P1D\"}, {\"id\": \"send\", \"send\": \"offer-" + i + "\"}]}");
        }
        put(http, url, "/admin/journeys/abandoned-checkout", "{\"holdoutPercent\": 10}");
        put(http, url, "/admin/journeys/win-back", "{\"enabled\": true, \"data\": {\"discount_code\": \"COMEBACK15\"}}");
        for (int i = 1; i <= 3; i++) {
            put(http, url, "/admin/campaigns/weekly-" + i, "{\"name\": \"Weekly " + i + "\", \"audience\": {\"segments\": [\"spent-" + i + "\"]},"
                    + " \"message\": {\"template\": \"offer-" + i + "\"}, \"schedule\": {\"cron\": \"0 9 ? * MON *\", \"zone\": \"UTC\"}, \"topic\": \"deals\"}");
        }
    }

    private static void put(HttpClient http, String url, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + ShopsFile.DEMO.adminToken())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException(path + ": " + response.body());
    }
}
