package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.aws.dynamodb.CapacityMeter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the local runtime's functions were asked to do and how long each took, as Lambda would
 * bill it: invocations and milliseconds (rounded up per invocation), per function; the DynamoDB
 * units each uses are billed to it too ({@link CapacityMeter#billTo}); and the requests the HTTP API took. The cost
 * benchmarks read it instead of assuming durations.
 */
public final class LocalUsage {
    /** One function's invocations and their billed milliseconds. */
    public record Function(long invocations, long billedMillis) {
        public double millisPerInvocation() {
            return invocations == 0 ? 0 : (double) billedMillis / invocations;
        }
    }

    private final LongAdder apiRequests = new LongAdder();
    private final Map<String, LongAdder> invocations = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> millis = new ConcurrentHashMap<>();

    /** The handler, counted: each invocation and its duration, rounded up to the millisecond as Lambda bills. */
    RequestStreamHandler metered(String function, RequestStreamHandler handler) {
        return new RequestStreamHandler() {
            @Override
            public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
                long start = System.nanoTime();
                String caller = CapacityMeter.billTo(function);
                try {
                    handler.handleRequest(input, output, context);
                } finally {
                    CapacityMeter.billTo(caller);
                    invocations.computeIfAbsent(function, f -> new LongAdder()).increment();
                    millis.computeIfAbsent(function, f -> new LongAdder()).add((System.nanoTime() - start + 999_999) / 1_000_000);
                }
            }

            @Override
            public String toString() {
                return handler.toString();
            }
        };
    }

    /** A request through the HTTP API, which bills each (a function URL's do not reach here: Lambda bills them as invocations only). */
    void apiRequest() {
        apiRequests.increment();
    }

    /** The requests the HTTP API answered (with a function's response: its routes). */
    public long apiRequests() {
        return apiRequests.sum();
    }

    public Map<String, Function> functions() {
        Map<String, Function> out = new TreeMap<>();
        invocations.forEach((f, n) -> out.put(f, new Function(n.sum(), millis.getOrDefault(f, new LongAdder()).sum())));
        return out;
    }
}
