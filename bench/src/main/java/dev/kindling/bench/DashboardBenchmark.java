package dev.kindling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.handler.Services;
import dev.kindling.json.Json;
import dev.kindling.local.DemoShop;
import dev.kindling.local.LocalRuntime;
import dev.kindling.local.SettableClock;
import dev.kindling.local.ShopsFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 16's benchmark: the demo shop ({@code --demo}'s fill), then the dashboard's overview loaded 10 times in
 * headless Chromium with a cold cache ({@code tools/dashboard-bench.mjs}): time to the sign-in form, time from the
 * sign-in to the overview drawn (median and range), bytes transferred, and the DynamoDB read units the admin API
 * spent per overview (billed by AWS's on-demand rules, measured by the local runtime's meter).
 * Usage: bin/bench-dashboard [loads (10)]
 */
public final class DashboardBenchmark {
    private DashboardBenchmark() {}

    public static void main(String[] args) throws Exception {
        int loads = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        SettableClock clock = DemoShop.clock(Instant.now(), DemoShop.DAYS);
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock))) {
            Services s = runtime.services();
            DemoShop.Filled filled = DemoShop.fill(runtime, clock, DemoShop.MIX, DemoShop.DAYS, System.out);
            System.out.printf("demo shop: %,d customers, %,d visits, %,d orders, %,d emails, filled in %.0f s%n", filled.customers(),
                    filled.counts().sessions(), filled.counts().orders(), filled.emails(), filled.took().toMillis() / 1e3);
            double[] before = s.table().meter().billedByOwner().getOrDefault("AdminFunction", new double[2]);
            Process node = new ProcessBuilder("node", "tools/dashboard-bench.mjs", "http://127.0.0.1:" + runtime.port(),
                    ShopsFile.DEMO.adminToken(), Integer.toString(loads)).directory(Path.of(".").toFile()).redirectErrorStream(true).start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (node.waitFor() != 0) throw new IllegalStateException(output);
            double[] after = s.table().meter().billedByOwner().getOrDefault("AdminFunction", new double[2]);
            JsonNode runs = Json.MAPPER.readTree(output.lines().reduce((a, b) -> b).orElseThrow()).path("runs");
            System.out.printf("%n| %d cold loads of the overview | median | min | max |%n|---|---:|---:|---:|%n", loads);
            for (String key : List.of("formMs", "overviewMs", "totalMs", "bytes", "apiBytes", "requests")) {
                List<Long> values = new ArrayList<>();
                runs.forEach(r -> values.add(r.path(key).asLong()));
                values.sort(Long::compare);
                long median = values.size() % 2 == 1 ? values.get(values.size() / 2) : (values.get(values.size() / 2 - 1) + values.get(values.size() / 2)) / 2;
                System.out.printf("| %s | %,d | %,d | %,d |%n", key, median, values.getFirst(), values.getLast());
            }
            System.out.printf("%nadmin API per overview: %.1f read units, %.1f write units (AdminFunction, billed rules)%n",
                    (after[0] - before[0]) / loads, (after[1] - before[1]) / loads);
        }
    }
}
