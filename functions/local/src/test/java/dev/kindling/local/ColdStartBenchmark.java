package dev.kindling.local;

import dev.kindling.local.lambda.FunctionProcess;
import dev.kindling.local.lambda.RuntimeApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The cold start of every function as Lambda's Java runtime has it without SnapStart: a fresh JVM
 * from the sam build artifact, through the Runtime Interface Client, with the template's
 * JAVA_TOOL_OPTIONS (-XX:TieredStopAtLevel=1), from fork to the first answer of its first sample
 * event; median and range over N starts, the classes the JVM loaded and the artifact's size.
 * A benchmark, not a test: it runs only from {@code bin/bench-coldstart} (-Dkindling.bench.coldstart=N).
 */
class ColdStartBenchmark {

    @Test
    void coldStartPerFunction() throws Exception {
        String runsProperty = System.getProperty("kindling.bench.coldstart");
        Assumptions.assumeTrue(runsProperty != null, "a benchmark: run bin/bench-coldstart");
        int runs = Integer.parseInt(runsProperty);
        String only = System.getProperty("kindling.bench.functions", "");
        try (DeployedShape shape = new DeployedShape()) {
            System.out.printf("%-24s %8s %15s %8s %10s%n", "function", "median", "min-max", "classes", "artifact");
            for (String function : shape.stack.functions()) {
                if (!only.isEmpty() && !List.of(only.split(",")).contains(function)) continue;
                Path sample;
                try (Stream<Path> files = Files.list(DeployedShape.ROOT.resolve("events").resolve(function))) {
                    sample = files.filter(p -> p.toString().endsWith(".json")).sorted().findFirst().orElseThrow();
                }
                byte[] payload = Files.readAllBytes(sample);
                Map<String, String> environment = new TreeMap<>(shape.environment(function));
                // counts the classes loaded (printed to the function's log, which is not timed against)
                environment.merge("JAVA_TOOL_OPTIONS", System.getProperty("kindling.bench.classlog", "-Xlog:class+load=info:stdout"), (a, b) -> a + " " + b);
                List<Long> millis = new ArrayList<>();
                long classes = 0;
                for (int run = 0; run < runs; run++) {
                    try (FunctionProcess process = FunctionProcess.start(function, DeployedShape.artifact(function), shape.stack.handler(function),
                            environment, shape.stack.memorySize(function))) {
                        RuntimeApi.Result result = process.invoke(payload, Duration.ofSeconds(60));
                        if (result.failed()) throw new IllegalStateException(function + ": " + result.body());
                        millis.add(process.coldStart().toMillis());
                        classes = process.classesLoaded();
                    }
                }
                List<Long> sorted = millis.stream().sorted().toList();
                System.out.printf("%-24s %6d ms %6d-%5d ms %8d %7.1f MB%n", function, sorted.get(sorted.size() / 2), sorted.getFirst(),
                        sorted.getLast(), classes, size(DeployedShape.artifact(function)) / 1e6);
            }
        }
    }

    private static long size(Path folder) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
