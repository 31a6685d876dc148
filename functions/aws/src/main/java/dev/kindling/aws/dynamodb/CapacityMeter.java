package dev.kindling.aws.dynamodb;

import java.util.List;
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

    void bill(Kind kind, double units) {
        (kind == Kind.READ ? billedReadUnits : billedWriteUnits).add(units);
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

