package dev.kindling.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The one fake in the reliability suite, because DynamoDB Local and the SES emulator cannot fail on
 * demand: an HTTP client under the runtime's real SDK clients that answers a share of the requests
 * with the faults AWS produces, so the SDK's own retries and our code above them meet them as they
 * would on AWS. DynamoDB gets throttling (ProvisionedThroughputExceeded, Throttling), 500s, and
 * timeouts after the write (the request reaches DynamoDB Local and is applied; the answer is lost).
 * SES v2 gets throttling (429 TooManyRequests) and 500s, each answered before the email reaches the
 * emulator: a timeout after SES took an email cannot be told from one before, so no sender can avoid
 * a second email there, and SES offers no idempotency key to ask.
 */
final class FaultInjectingHttpClient implements SdkHttpClient {
    enum Fault { DYNAMODB_THROTTLED, DYNAMODB_500, DYNAMODB_TIMEOUT_AFTER_WRITE, SES_THROTTLED, SES_500 }

    private final SdkHttpClient real = UrlConnectionHttpClient.create();
    private final double rate;
    private final Random random;
    private final Map<Fault, LongAdder> injected = new ConcurrentHashMap<>();
    private final LongAdder dynamoRequests = new LongAdder();
    private final LongAdder sesRequests = new LongAdder();
    private volatile boolean on = true;

    FaultInjectingHttpClient(double rate, long seed) {
        this.rate = rate;
        this.random = new Random(seed);
    }

    /** Off: every request goes through (to read the results without faults). */
    void off() {
        on = false;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        boolean ses = request.httpRequest().encodedPath().startsWith("/v2/email");
        (ses ? sesRequests : dynamoRequests).increment();
        double draw;
        int kind;
        synchronized (random) {
            draw = random.nextDouble();
            kind = random.nextInt(ses ? 2 : 3);
        }
        if (!on || draw >= rate) return real.prepareRequest(request);
        Fault fault = ses ? (kind == 0 ? Fault.SES_THROTTLED : Fault.SES_500)
                : switch (kind) {
                    case 0 -> Fault.DYNAMODB_THROTTLED;
                    case 1 -> Fault.DYNAMODB_500;
                    default -> Fault.DYNAMODB_TIMEOUT_AFTER_WRITE;
                };
        injected.computeIfAbsent(fault, f -> new LongAdder()).increment();
        return switch (fault) {
            case DYNAMODB_THROTTLED -> answer(400, "ProvisionedThroughputExceededException",
                    "The level of configured provisioned throughput for the table was exceeded.", false);
            case DYNAMODB_500 -> answer(500, "InternalServerError", "Internal server error", false);
            case DYNAMODB_TIMEOUT_AFTER_WRITE -> timeoutAfter(real.prepareRequest(request));
            case SES_THROTTLED -> answer(429, "TooManyRequestsException", "Too many requests", true);
            case SES_500 -> answer(500, "InternalFailure", "We encountered an internal error. Please try again.", true);
        };
    }

    Map<Fault, Long> injected() {
        Map<Fault, Long> counts = new TreeMap<>();
        injected.forEach((f, n) -> counts.put(f, n.sum()));
        return counts;
    }

    long dynamoRequests() {
        return dynamoRequests.sum();
    }

    long sesRequests() {
        return sesRequests.sum();
    }

    /** An error answer as the service sends it: DynamoDB names the error in the body's __type, SES v2 in x-amzn-ErrorType. */
    private static ExecutableHttpRequest answer(int status, String type, String message, boolean restJson) {
        byte[] body = (restJson ? "{\"message\":\"" + message + "\"}"
                : "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status)
                .putHeader("Content-Type", restJson ? "application/json" : "application/x-amz-json-1.0")
                .putHeader("x-amzn-RequestId", UUID.randomUUID().toString());
        if (restJson) response.putHeader("x-amzn-ErrorType", type);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                return HttpExecuteResponse.builder().response(response.build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
            }

            @Override
            public void abort() {}
        };
    }

    /** The request goes through and is applied; its answer is read and dropped, and the caller sees a read timeout. */
    private static ExecutableHttpRequest timeoutAfter(ExecutableHttpRequest applied) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                HttpExecuteResponse response = applied.call();
                if (response.responseBody().isPresent()) {
                    try (var body = response.responseBody().get()) {
                        body.readAllBytes();
                    }
                }
                throw new SocketTimeoutException("Read timed out (injected: the request was applied, its answer lost)");
            }

            @Override
            public void abort() {
                applied.abort();
            }
        };
    }

    @Override
    public void close() {
        real.close();
    }
}
