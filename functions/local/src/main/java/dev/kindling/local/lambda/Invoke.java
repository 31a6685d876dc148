package dev.kindling.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/kindling invoke FunctionName [-e event.json] [--runtime URL]}: what {@code sam local invoke}
 * does, without Docker. Builds the function as {@code sam build} does ({@code make build-<Function>} into
 * {@code .aws-sam/build/<Function>}), starts it from that artifact alone in a fresh JVM through AWS's
 * Runtime Interface Client, with the environment template.yaml gives it, pointed at the running local
 * runtime (its DynamoDB Local, bus, shops, journeys and outbox), invokes it once with the event, and
 * prints the answer. What it writes to its bus reaches the runtime's functions, as on AWS.
 */
@Command(name = "invoke", mixinStandardHelpOptions = true, description = {
        "What sam local invoke does, without Docker: builds the function as sam build does, runs it from that artifact alone in its own JVM "
                + "through AWS's Runtime Interface Client, with template.yaml's environment, against the running local runtime, and prints its answer. "
                + "Exit 0 when it answered, 1 on a function error."})
public final class Invoke implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FunctionName", description = "a function of template.yaml")
    String function;

    @Option(names = {"-e", "--event"}, description = "the event's file (default: {})")
    Path event;

    @Option(names = "--runtime", description = "the running local runtime (default: http://127.0.0.1:$PORT or 3000)")
    String runtime = "http://127.0.0.1:" + System.getenv().getOrDefault("PORT", "3000");

    @Override
    public Integer call() throws Exception {
        byte[] payload = event == null ? "{}".getBytes(StandardCharsets.UTF_8) : Files.readAllBytes(event);
        System.err.println("building " + function + " (make build-" + function + ", as sam build runs it) ...");
        Invocation invocation = run(runtime, function, payload, Path.of("."), Path.of(".aws-sam", "build", function));
        System.err.print(invocation.log());
        System.err.printf("%s: %s in %d ms (cold start, JVM fork to answer)%n", function,
                invocation.result().failed() ? "function error " + invocation.result().errorType() : "answered", invocation.coldStart().toMillis());
        System.out.println(invocation.result().body());
        return invocation.result().failed() ? 1 : 0;
    }

    /** One invocation's answer, what the function printed, and its cold start. */
    public record Invocation(RuntimeApi.Result result, String log, Duration coldStart) {}

    /**
     * Builds the function from the sources into {@code artifact} (emptied first, as sam build does) and invokes it once against the runtime.
     *
     * @param runtime the local runtime's base URL
     */
    public static Invocation run(String runtime, String function, byte[] payload, Path sources, Path artifact) throws Exception {
        JsonNode spec = describe(runtime, function);
        Map<String, String> environment = new LinkedHashMap<>();
        spec.path("environment").properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        deleteTree(artifact);
        SamBuild.build(sources, function, artifact);
        try (FunctionProcess process = FunctionProcess.start(function, artifact, spec.path("handler").asText(), environment,
                spec.path("memorySize").asInt())) {
            RuntimeApi.Result result = process.invoke(payload, Duration.ofSeconds(900));
            return new Invocation(result, process.log(), process.coldStart());
        }
    }

    private static JsonNode describe(String runtime, String function) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(runtime + "/local/functions/" + function)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request, BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("no local runtime answers at " + runtime + ": start it with bin/kindling-local (" + e + ")");
        }
        if (response.statusCode() != 200) throw new IllegalStateException(runtime + " answered " + response.statusCode() + ": " + response.body());
        return Json.MAPPER.readTree(response.body());
    }

    /** Deletes a folder and everything in it (a built artifact's scratch copy); nothing when it is not there. */
    public static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) return;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

}
