package dev.kindling.aws.dynamodb;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * Adds up requests and capacity units, so cost can be measured per event: the units DynamoDB reports
 * (ReturnConsumedCapacity) and the units AWS bills on demand by its published rules, computed from
 * item sizes — DynamoDB Local reports the former without doubling transactional writes or charging
 * reads of missing items, as the service does.
 */
public final class CapacityMeter {
    enum Kind { READ, WRITE }

    private final LongAdder readRequests = new LongAdder();
    private final LongAdder writeRequests = new LongAdder();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder billedReadUnits = new DoubleAdder();
    private final DoubleAdder billedWriteUnits = new DoubleAdder();
    /** Who the units are for (a function of the local runtime); threads a function starts inherit it. */
    private static final InheritableThreadLocal<String> OWNER = new InheritableThreadLocal<>();
    private final Map<String, DoubleAdder[]> byOwner = new ConcurrentHashMap<>();

    /** Bills the units of this thread (and the threads it starts) to {@code owner} until changed; returns the owner before. */
    public static String billTo(String owner) {
        String before = OWNER.get();
        OWNER.set(owner);
        return before;
    }

    /** Billed read and write units per owner ({@link #billTo}); units no owner was named for are under "other". */
    public Map<String, double[]> billedByOwner() {
        Map<String, double[]> out = new TreeMap<>();
        byOwner.forEach((o, u) -> out.put(o, new double[] {u[0].sum(), u[1].sum()}));
        return out;
    }

    void bill(Kind kind, double units) {
        (kind == Kind.READ ? billedReadUnits : billedWriteUnits).add(units);
        String owner = OWNER.get();
        byOwner.computeIfAbsent(owner == null ? "other" : owner, o -> new DoubleAdder[] {new DoubleAdder(), new DoubleAdder()})[kind == Kind.READ ? 0 : 1].add(units);
    }

    void record(Kind kind, ConsumedCapacity capacity) {
        record(kind, capacity == null ? List.of() : List.of(capacity));
    }

    /** A request of the given kind and the capacity reported for it (none for a cancelled transaction). */
    void record(Kind kind, List<ConsumedCapacity> capacities) {
        (kind == Kind.READ ? readRequests : writeRequests).increment();
        for (ConsumedCapacity c : capacities == null ? List.<ConsumedCapacity>of() : capacities) {
            if (c.capacityUnits() != null) (kind == Kind.READ ? readUnits : writeUnits).add(c.capacityUnits());
        }
    }

    /**
     * @param readUnits   read capacity units as reported by DynamoDB
     * @param billedReadUnits read request units AWS bills on demand for the same requests
     */
    public record Snapshot(long readRequests, long writeRequests, double readUnits, double writeUnits,
                           double billedReadUnits, double billedWriteUnits) {
        public long requests() {
            return readRequests + writeRequests;
        }

        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(readRequests - earlier.readRequests, writeRequests - earlier.writeRequests,
                    readUnits - earlier.readUnits, writeUnits - earlier.writeUnits,
                    billedReadUnits - earlier.billedReadUnits, billedWriteUnits - earlier.billedWriteUnits);
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(readRequests.sum(), writeRequests.sum(), readUnits.sum(), writeUnits.sum(),
                billedReadUnits.sum(), billedWriteUnits.sum());
    }
}

