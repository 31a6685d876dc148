package dev.kindling.aws.dynamodb;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** The clock of the per-partition account, when asked for ({@link #perPartition}); null: not kept. */
    private volatile Clock partitionClock;
    private final Map<String, Map<Long, DoubleAdder[]>> byPartition = new ConcurrentHashMap<>();

    /**
     * Keeps the units billed to each partition key in each second of {@code clock} from now on (benchmarks: where a peak
     * would pass DynamoDB's per-partition limits of 1,000 write and 3,000 read units a second).
     */
    public void perPartition(Clock clock) {
        partitionClock = clock;
    }

    /** A partition's busiest second for reads and for writes, in units billed, and its units in all. */
    public record Peak(String pk, double readUnits, long readSecond, double writeUnits, long writeSecond, double readTotal, double writeTotal) {}

    /** Each partition's busiest seconds, busiest writes first. */
    public List<Peak> peaks() {
        List<Peak> peaks = new ArrayList<>();
        byPartition.forEach((pk, seconds) -> {
            double read = 0, write = 0, readTotal = 0, writeTotal = 0;
            long readAt = 0, writeAt = 0;
            for (var e : seconds.entrySet()) {
                double r = e.getValue()[0].sum(), w = e.getValue()[1].sum();
                readTotal += r;
                writeTotal += w;
                if (r > read) { read = r; readAt = e.getKey(); }
                if (w > write) { write = w; writeAt = e.getKey(); }
            }
            peaks.add(new Peak(pk, read, readAt, write, writeAt, readTotal, writeTotal));
        });
        peaks.sort(Comparator.comparingDouble(Peak::writeUnits).reversed());
        return peaks;
    }

    /** How keys are folded for {@link #billedByWhat} (ids out); null: that account is not kept. */
    private volatile java.util.function.UnaryOperator<String> fold;
    private final Map<String, DoubleAdder[]> byWhat = new ConcurrentHashMap<>();

    /**
     * Keeps the units billed per function, request and kind of item from now on (benchmarks: where the units of an event
     * go), each key folded by {@code fold} into its kind (S#demo#C#&lt;id&gt;, EV#&lt;id&gt; …).
     */
    public void perWhat(java.util.function.UnaryOperator<String> fold) {
        this.fold = fold;
    }

    /**
     * Billed read and write units by "function request pk sk", keys folded as {@link #perWhat} was told, then the items
     * read and written that they were billed for (units over items: how big those items are).
     */
    public Map<String, double[]> billedByWhat() {
        Map<String, double[]> out = new TreeMap<>();
        byWhat.forEach((w, u) -> out.put(w, new double[] {u[0].sum(), u[1].sum(), u[2].sum(), u[3].sum()}));
        return out;
    }

    /** Bills {@code units} as {@link #bill(Kind, double)} does, to the partition {@code pk} when partitions are kept, and to its kind. */
    void bill(Kind kind, double units, String request, String pk, String sk) {
        bill(kind, units, pk);
        var folding = fold;
        if (folding == null) return;
        String owner = OWNER.get();
        String what = (owner == null ? "other" : owner) + " " + request + " " + (pk == null ? "-" : folding.apply(pk)) + " " + (sk == null ? "-" : folding.apply(sk));
        DoubleAdder[] account = byWhat.computeIfAbsent(what, w -> new DoubleAdder[] {new DoubleAdder(), new DoubleAdder(), new DoubleAdder(), new DoubleAdder()});
        account[kind == Kind.READ ? 0 : 1].add(units);
        account[kind == Kind.READ ? 2 : 3].add(1);
    }

    private void bill(Kind kind, double units, String pk) {
        bill(kind, units);
        Clock clock = partitionClock;
        if (clock == null || pk == null) return;
        byPartition.computeIfAbsent(pk, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(clock.instant().getEpochSecond(), s -> new DoubleAdder[] {new DoubleAdder(), new DoubleAdder()})[kind == Kind.READ ? 0 : 1]
                .add(units);
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

