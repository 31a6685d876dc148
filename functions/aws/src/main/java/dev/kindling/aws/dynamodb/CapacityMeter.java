package dev.kindling.aws.dynamodb;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/** Adds up the requests made and the capacity units DynamoDB reports consuming, so cost can be measured per event. */
public final class CapacityMeter {
    enum Kind { READ, WRITE }

    private final LongAdder readRequests = new LongAdder();
    private final LongAdder writeRequests = new LongAdder();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();

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

    public record Snapshot(long readRequests, long writeRequests, double readUnits, double writeUnits) {
        public long requests() {
            return readRequests + writeRequests;
        }

        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(readRequests - earlier.readRequests, writeRequests - earlier.writeRequests,
                    readUnits - earlier.readUnits, writeUnits - earlier.writeUnits);
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(readRequests.sum(), writeRequests.sum(), readUnits.sum(), writeUnits.sum());
    }
}
