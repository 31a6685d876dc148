package dev.kindling.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Lambda Runtime API (version 2018-06-01) for one function, as Lambda serves it to the runtime
 * inside each execution environment: the runtime long-polls {@code GET /runtime/invocation/next},
 * answers with {@code POST /runtime/invocation/{id}/response} or {@code .../error}, and reports a
 * failed start with {@code POST /runtime/init/error}. AWS's Runtime Interface Client talks to it
 * exactly as it talks to Lambda, so the function under it runs as it does on AWS.
 *
 * <p>Only on 127.0.0.1. One invocation at a time, as in one execution environment.
 */
public final class RuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";

    /** What an invocation came back with: the function's answer, or its error (Lambda's "function error"). */
    public record Result(byte[] payload, String errorType) {
        public boolean failed() {
            return errorType != null;
        }

        public String body() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private record Invocation(String requestId, byte[] payload, long deadlineMillis, CompletableFuture<Result> result) {}

    private final HttpServer server;
    private final String functionArn;
    private final Clock clock;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Result> initError = new CompletableFuture<>();

    public RuntimeApi(String functionArn, Clock clock) throws IOException {
        this.functionArn = functionArn;
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        // the runtime's long poll holds a thread while the others answer
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** {@code host:port}, as AWS_LAMBDA_RUNTIME_API holds it. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Hands the payload to the function and waits for its answer.
     *
     * @throws TimeoutException when the function neither answers nor fails within the timeout
     */
    public Result invoke(byte[] payload, Duration timeout) throws TimeoutException, InterruptedException {
        var invocation = new Invocation(UUID.randomUUID().toString(), payload, clock.millis() + timeout.toMillis(), new CompletableFuture<>());
        pending.add(invocation);
        try {
            return CompletableFuture.anyOf(invocation.result(), initError).thenApply(Result.class::cast).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pending.remove(invocation);
        }
    }

    /** The error the runtime reported while starting (the handler class missing, its constructor throwing), if any. */
    public Result initError() {
        return initError.getNow(null);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
                Invocation next = pending.take();
                inFlight.put(next.requestId(), next);
                var headers = exchange.getResponseHeaders();
                headers.set("Lambda-Runtime-Aws-Request-Id", next.requestId());
                headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(next.deadlineMillis()));
                headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
                headers.set("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(clock.millis() / 1000) + "-" + next.requestId().replace("-", "").substring(0, 24));
                headers.set("Content-Type", "application/json");
                send(exchange, 200, next.payload());
            } else if (path.equals("init/error")) {
                initError.complete(new Result(body, errorType(exchange, "Runtime.InitError")));
                send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                String requestId = path.substring("invocation/".length(), path.lastIndexOf('/'));
                Invocation invocation = inFlight.remove(requestId);
                if (invocation == null) {
                    send(exchange, 400, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                boolean error = path.endsWith("/error");
                invocation.result().complete(new Result(body, error ? errorType(exchange, "Unhandled") : null));
                send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 404, "{\"errorMessage\":\"not a runtime API path\"}".getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String errorType(HttpExchange exchange, String fallback) {
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        return type == null || type.isBlank() ? fallback : type;
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
