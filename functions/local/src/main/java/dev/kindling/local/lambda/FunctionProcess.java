package dev.kindling.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * One function as Lambda's Java runtime runs it: a fresh JVM whose classpath is the runtime alone
 * (AWS's Runtime Interface Client and what it needs), loading the function's code from its
 * {@code sam build} artifact folder ({@code LAMBDA_TASK_ROOT}) and nothing else, with exactly the
 * environment it is given, talking to a {@link RuntimeApi} this process serves. A class the
 * artifact lacks, a wrong handler string or a constructor that throws shows up here as it would
 * on AWS: an init error.
 */
public final class FunctionProcess implements AutoCloseable {
    /** Lambda's Java runtime starts the JVM with these (the java21 runtime's defaults); JAVA_TOOL_OPTIONS from the template adds to them. */
    private static final List<String> LAMBDA_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true");

    private final String name;
    private final RuntimeApi api;
    private final Process process;
    private final Path log;
    private final long startedNanos;
    private long coldStartNanos = -1;

    private FunctionProcess(String name, RuntimeApi api, Process process, Path log, long startedNanos) {
        this.name = name;
        this.api = api;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts the function.
     *
     * @param taskRoot    the function's artifact folder, as {@code sam build} leaves it
     * @param handler     the template's Handler string
     * @param environment the function's variables as the template resolves them, plus the endpoints and credentials to use
     * @param memoryMb    the function's MemorySize: the heap is sized from it, as on Lambda
     */
    public static FunctionProcess start(String name, Path taskRoot, String handler, Map<String, String> environment, int memoryMb)
            throws IOException {
        var api = new RuntimeApi("arn:aws:lambda:" + environment.getOrDefault("AWS_REGION", "us-east-1") + ":123456789012:function:" + name, Clock.systemUTC());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_JVM_OPTIONS);
        // Lambda gives the heap about 85% of the function's memory
        command.add("-Xmx" + (memoryMb * 85 / 100) + "m");
        command.add("-cp");
        command.add(runtimeClasspath());
        command.add(AWSLambda.class.getName());
        command.add(handler);
        // the Runtime Interface Client loads the function's code from its working directory (/var/task on Lambda)
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
        builder.environment().clear();
        builder.environment().putAll(lambdaEnvironment(name, taskRoot, handler, memoryMb, api.address()));
        builder.environment().putAll(environment);
        Path log = Files.createTempFile("kindling-" + name + "-", ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        long started = System.nanoTime();
        return new FunctionProcess(name, api, builder.start(), log, started);
    }

    /** What Lambda itself puts in every function's environment (the template's variables come on top). */
    private static Map<String, String> lambdaEnvironment(String name, Path taskRoot, String handler, int memoryMb, String runtimeApi) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toAbsolutePath().toString());
        env.put("_HANDLER", handler);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        // loopback only: the SDK never probes the instance metadata address
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    /** The Runtime Interface Client and the libraries it needs, taken from where this process loaded them. */
    static String runtimeClasspath() {
        List<String> jars = new ArrayList<>();
        for (Class<?> marker : List.of(AWSLambda.class, Context.class, PojoSerializer.class, SdkInternalThreadLocal.class)) {
            try {
                String jar = Path.of(marker.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                if (!jars.contains(jar)) jars.add(jar);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, jars);
    }

    public String name() {
        return name;
    }

    /**
     * Invokes the function once, as Lambda does: the payload in, its answer or its error out.
     *
     * @throws IllegalStateException when the function failed to start or its JVM exited (the message holds its log)
     */
    public RuntimeApi.Result invoke(byte[] payload, Duration timeout) throws InterruptedException {
        RuntimeApi.Result result;
        try {
            result = api.invoke(payload, timeout);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " did not answer within " + timeout + (process.isAlive() ? "" : " (its JVM exited)") + "; its log:\n" + log());
        }
        if (coldStartNanos < 0) coldStartNanos = System.nanoTime() - startedNanos;
        if (api.initError() != null) {
            throw new IllegalStateException(name + " failed to start: " + api.initError().body() + "\nits log:\n" + log());
        }
        return result;
    }

    /** From the JVM's fork to the first invocation's answer: what a cold start costs before SnapStart. */
    public Duration coldStart() {
        if (coldStartNanos < 0) throw new IllegalStateException("not invoked yet");
        return Duration.ofNanos(coldStartNanos);
    }

    /** What the function printed (Lambda sends it to CloudWatch Logs). */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        api.close();
        Files.deleteIfExists(log);
    }

    /** The classes a function's JVM loaded, when it was started with {@code -verbose:class} (a benchmark's figure). */
    public long classesLoaded() {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("[class,load]")).count();
        } catch (IOException e) {
            return -1;
        }
    }
}
